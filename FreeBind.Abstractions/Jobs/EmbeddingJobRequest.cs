namespace FreeBind.Jobs;

/// <summary>What to embed, with which spaces, and where to write it.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.EmbeddingJobRequest")]
public sealed record EmbeddingJobRequest
{
    /// <summary>Spaces file text; shipped whole so silos on other machines need no copy of it.</summary>
    [Id(0)] public required string SpacesJson { get; init; }

    /// <summary>Folder that relative paths in the spaces file resolve against, on every silo.</summary>
    [Id(1)] public required string SpacesBaseDirectory { get; init; }

    /// <summary>Corpus: folder, JSONL/CSV/Parquet manifest, tar pattern or blob URI.</summary>
    [Id(2)] public required string Input { get; init; }

    /// <summary>Output root: folder or blob URI.</summary>
    [Id(3)] public required string Output { get; init; }

    /// <summary>Spaces to embed into; empty means every space in the file.</summary>
    [Id(4)] public IReadOnlyList<string> Spaces { get; init; } = [];

    /// <summary>Modalities to embed (image, text, audio); empty means all.</summary>
    [Id(5)] public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>Corpus entries per shard.</summary>
    [Id(6)] public int ShardSize { get; init; } = 1000;

    /// <summary>Overrides every encoder's batch size when above zero.</summary>
    [Id(7)] public int BatchSize { get; init; }

    /// <summary>Shards embedded at the same time across the cluster; 0 picks two per active silo.</summary>
    [Id(8)] public int MaxShardsInFlight { get; init; }

    /// <summary>
    /// Folder (local path or blob URI) that a manifest's relative media paths resolve against.
    /// Absolute paths must lie inside it. Null means the manifest's own folder.
    /// </summary>
    [Id(9)] public string? ManifestRoot { get; init; }
}
