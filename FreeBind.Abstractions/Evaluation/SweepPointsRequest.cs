namespace FreeBind.Evaluation;

/// <summary>A batch of factor vectors to fuse and evaluate.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.SweepPointsRequest")]
public sealed record SweepPointsRequest
{
    /// <summary>Bond file text.</summary>
    [Id(0)] public required string BondsJson { get; init; }

    /// <summary>Folder that projector paths resolve against, on every silo.</summary>
    [Id(1)] public required string BondsBaseDirectory { get; init; }

    /// <summary>Profile whose factors the unsearched bonds keep; null for the defaults.</summary>
    [Id(2)] public string? Profile { get; init; }

    /// <summary>Output root holding the base and expert embeddings.</summary>
    [Id(3)] public required string Embeddings { get; init; }

    /// <summary>Task names to evaluate at each point.</summary>
    [Id(4)] public required IReadOnlyList<string> Tasks { get; init; }

    /// <summary>Labels manifest text.</summary>
    [Id(5)] public string LabelsText { get; init; } = "";

    /// <summary>Labels manifest format.</summary>
    [Id(6)] public string LabelsFormat { get; init; } = "jsonl";

    /// <summary>Factor vectors, each in the axis order of the sweep (see docs/evaluation.md).</summary>
    [Id(7)] public required IReadOnlyList<double[]> Points { get; init; }
}
