using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>A readable corpus: a folder tree, a JSONL/CSV/Parquet manifest, or WebDataset tar shards.</summary>
public interface ICorpus
{
    /// <summary>The input as the user gave it (folder, manifest path, tar pattern or blob URI).</summary>
    string Input { get; }

    /// <summary>
    /// Computes a stable fingerprint of the corpus contents listing (names, sizes and modification
    /// times, or the manifest's bytes), without reading every media file.
    /// </summary>
    Task<string> ComputeFingerprintAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams the corpus as shards of at most <paramref name="shardSize"/> entries, in a
    /// deterministic order, so planning twice gives the same shards. Memory stays bounded by a
    /// few shards, not the corpus size.
    /// </summary>
    IAsyncEnumerable<CorpusShard> PlanShardsAsync(int shardSize, CancellationToken cancellationToken);

    /// <summary>Reads the bytes of one media reference.</summary>
    /// <exception cref="MediaException">Stage "read": missing file, path outside the root, unreadable blob.</exception>
    Task<ReadOnlyMemory<byte>> ReadAsync(MediaReference media, CancellationToken cancellationToken);
}
