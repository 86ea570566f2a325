namespace FreeBind.Evaluation.Search;

/// <summary>The outcome of a <see cref="FactorSearch"/>.</summary>
/// <param name="Best">Best factor vector found.</param>
/// <param name="BestScore">Its objective value.</param>
/// <param name="CoarseBest">Best vector of the coarse stage.</param>
/// <param name="Points">Every distinct point evaluated, in evaluation order.</param>
public sealed record FactorSearchResult(
    IReadOnlyList<double> Best, double BestScore, IReadOnlyList<double> CoarseBest, IReadOnlyList<SearchPoint> Points);
