namespace FreeBind.Evaluation;

/// <summary>Metrics and counts of one evaluation task, as the cluster returns them.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.EvaluationSummary")]
public sealed record EvaluationSummary
{
    /// <summary>Canonical task name.</summary>
    [Id(0)] public required string Task { get; init; }

    /// <summary>Space evaluated.</summary>
    [Id(1)] public required string Space { get; init; }

    /// <summary>Metric name → value in [0, 1]; see docs/evaluation.md for the names.</summary>
    [Id(2)] public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>Count name → value (queries, skipped queries, classes, empty classes).</summary>
    [Id(3)] public required IReadOnlyDictionary<string, long> Counts { get; init; }
}
