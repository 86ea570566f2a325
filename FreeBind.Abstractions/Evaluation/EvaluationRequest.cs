namespace FreeBind.Evaluation;

/// <summary>One evaluation task on one space's embeddings.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.EvaluationRequest")]
public sealed record EvaluationRequest
{
    /// <summary>Output root of an embed or fuse job (folder or blob URI) that every silo can read.</summary>
    [Id(0)] public required string Embeddings { get; init; }

    /// <summary>Space folder under <c>embeddings/</c>, e.g. <c>imagebind</c> or <c>imagebind++.default</c>.</summary>
    [Id(1)] public required string Space { get; init; }

    /// <summary>Task name, e.g. <c>retrieval:text-audio</c> or <c>classification:audio</c>.</summary>
    [Id(2)] public required string Task { get; init; }

    /// <summary>Labels manifest text; empty matches items by id.</summary>
    [Id(3)] public string LabelsText { get; init; } = "";

    /// <summary>Labels manifest format: "jsonl" or "csv".</summary>
    [Id(4)] public string LabelsFormat { get; init; } = "jsonl";

    /// <summary>Gallery partitions, each scanned by its own worker grain; at least 1.</summary>
    [Id(5)] public int Partitions { get; init; } = 2;
}
