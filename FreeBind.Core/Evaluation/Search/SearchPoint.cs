namespace FreeBind.Evaluation.Search;

/// <summary>One evaluated factor vector.</summary>
/// <param name="Factors">Factor values, in axis order.</param>
/// <param name="Score">Objective value; higher is better.</param>
/// <param name="Stage">"coarse" or "fine".</param>
public sealed record SearchPoint(IReadOnlyList<double> Factors, double Score, string Stage);
