namespace FreeBind.Evaluation;

/// <summary>Gallery ids with their scores for one query.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.ScoredIds")]
public sealed record ScoredIds
{
    /// <summary>Gallery ids.</summary>
    [Id(0)] public required IReadOnlyList<string> Ids { get; init; }

    /// <summary>Scores aligned with <see cref="Ids"/>.</summary>
    [Id(1)] public required float[] Scores { get; init; }
}
