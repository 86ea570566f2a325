namespace FreeBind.Evaluation;

/// <summary>First-pass result of one partition: its size and the correct items it holds per query.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.RelevantScoresPart")]
public sealed record RelevantScoresPart
{
    /// <summary>Gallery items in the partition.</summary>
    [Id(0)] public required int GallerySize { get; init; }

    /// <summary>Per query, the correct items this partition holds with their scores.</summary>
    [Id(1)] public required IReadOnlyList<ScoredIds> Relevant { get; init; }
}
