namespace FreeBind.Corpus;

/// <summary>A slice of a corpus that one encoder grain embeds and writes as one set of files.</summary>
/// <param name="Index">Zero-based shard number; output file names derive from it.</param>
/// <param name="Entries">The entries of this shard, in corpus order.</param>
/// <param name="Issues">Problems found while planning this shard (duplicate id, path outside the root),
/// each reported as an error row by whoever embeds the shard.</param>
public sealed record CorpusShard(int Index, IReadOnlyList<CorpusEntry> Entries, IReadOnlyList<CorpusIssue> Issues);
