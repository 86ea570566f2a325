namespace FreeBind.Evaluation;

/// <summary>What one evaluation worker scans: queries against one gallery partition (a set of shard files).</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.PartitionScanRequest")]
public sealed record PartitionScanRequest
{
    /// <summary>Output root holding the embeddings.</summary>
    [Id(0)] public required string Embeddings { get; init; }

    /// <summary>Space of the query modality to read when <see cref="QueryIds"/> is empty.</summary>
    [Id(1)] public required string Space { get; init; }

    /// <summary>Query modality name, read from the store when <see cref="QueryIds"/> is empty.</summary>
    [Id(2)] public required string QueryModality { get; init; }

    /// <summary>Explicit query ids (e.g. class prototypes); empty reads the queries from the store.</summary>
    [Id(3)] public IReadOnlyList<string> QueryIds { get; init; } = [];

    /// <summary>Explicit query values, row-major, aligned with <see cref="QueryIds"/>.</summary>
    [Id(4)] public float[] QueryValues { get; init; } = [];

    /// <summary>Shard files of this partition's gallery, relative to <see cref="Embeddings"/>.</summary>
    [Id(5)] public required IReadOnlyList<string> GalleryShards { get; init; }

    /// <summary>Correct gallery ids per query; null computes them from the labels by shared group.</summary>
    [Id(6)] public IReadOnlyList<IReadOnlyList<string>>? Relevant { get; init; }

    /// <summary>Labels manifest text, used when <see cref="Relevant"/> is null.</summary>
    [Id(7)] public string LabelsText { get; init; } = "";

    /// <summary>Labels manifest format.</summary>
    [Id(8)] public string LabelsFormat { get; init; } = "jsonl";

    /// <summary>Top-k length per query.</summary>
    [Id(9)] public int K { get; init; } = 10;
}
