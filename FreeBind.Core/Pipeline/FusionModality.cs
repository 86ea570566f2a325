using FreeBind.Bonds;

namespace FreeBind.Pipeline;

/// <summary>The compiled plan of one modality and the function that runs it on a batch.</summary>
/// <param name="Plan">The bond graph compiled for this modality and the effective factors.</param>
/// <param name="FactorsJson">The effective factors as JSON, written to the <c>factors</c> column.</param>
/// <param name="Execute">
/// Runs the plan: one row-major [batch, dimension] array per plan input, in plan order, and the
/// batch size; returns [batch, output dimension].
/// </param>
public sealed record FusionModality(FusionPlan Plan, string FactorsJson, Func<IReadOnlyList<float[]>, int, float[]> Execute);
