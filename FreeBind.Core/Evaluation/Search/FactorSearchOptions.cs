namespace FreeBind.Evaluation.Search;

/// <summary>Settings of <see cref="FactorSearch"/>.</summary>
public sealed record FactorSearchOptions
{
    /// <summary>Spacing of the coarse grid over [0, 1]; default 0.1.</summary>
    public double CoarseStep { get; init; } = 0.1;

    /// <summary>Spacing of the refinement grid; default 0.02.</summary>
    public double FineStep { get; init; } = 0.02;

    /// <summary>Half-width of the refinement grid around the coarse best, clipped to [0, 1]; default 0.1.</summary>
    public double FineRadius { get; init; } = 0.1;

    /// <summary>
    /// Largest full grid (product over factors) evaluated at once; above it each stage searches one
    /// factor at a time (coordinate ascent) until a full cycle stops improving. Default 4096.
    /// </summary>
    public int MaxGridPoints { get; init; } = 4096;

    /// <summary>Coordinate-ascent cycles per stage at most; default 10.</summary>
    public int MaxCycles { get; init; } = 10;
}
