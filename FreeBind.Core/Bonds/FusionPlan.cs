using FreeBind.Media;

namespace FreeBind.Bonds;

/// <summary>
/// The bond graph compiled for one modality and one set of factors: the sequence of steps that
/// turns the base and expert embeddings of an item into its fused embedding.
/// </summary>
/// <remarks>
/// Every step computes <c>normalize((1 − f) · keep + f · P)</c>, where <c>keep</c> is the running
/// embedding or an expert embedding, and <c>P</c> is the ensemble of the step's projectors:
/// <c>normalize(mean_j normalize(projector_j(input_j)))</c>. A combination bond c(E) keeps the
/// running embedding and projects E's embedding. A displacement bond d(E) keeps E's embedding and
/// projects the running one. A displacement onto a modality E does not cover replaces the running
/// embedding by P, with the factor fixed at 1.
/// </remarks>
/// <param name="Modality">Modality this plan fuses.</param>
/// <param name="Inputs">Space names whose embeddings feed the plan; the first is the base space.</param>
/// <param name="InputDimensions">Dimension of each input, in the order of <see cref="Inputs"/>.</param>
/// <param name="Steps">Steps in order.</param>
/// <param name="OutputDimension">Dimension of the fused embedding.</param>
public sealed record FusionPlan(
    Modality Modality,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<int> InputDimensions,
    IReadOnlyList<FusionStep> Steps,
    int OutputDimension);
