namespace FreeBind.Training.Pseudo;

/// <summary>The usable queries of one shard file: ids with finite embeddings in every space that embeds the modality.</summary>
/// <param name="Ids">Query ids in file order, each once.</param>
/// <param name="Primary">Embedding in the first space that embeds the modality (source if it does, else target).</param>
/// <param name="Other">Embedding in the other space when it embeds the modality too; else null.</param>
/// <param name="Skipped">Rows left out: repeated id, embedding not finite, or no row in the other space.</param>
internal sealed record PseudoQueryShard(List<string> Ids, List<float[]> Primary, List<float[]>? Other, long Skipped);
