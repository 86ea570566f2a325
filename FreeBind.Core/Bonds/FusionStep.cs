namespace FreeBind.Bonds;

/// <summary>One bond applied to one modality; see <see cref="FusionPlan"/> for the formula.</summary>
/// <param name="Bond">Bond name, for errors and factor inputs.</param>
/// <param name="Keep"><see cref="FusionStep.Current"/> or the name of an input space.</param>
/// <param name="Factor">Mixing factor f in [0, 1].</param>
/// <param name="FactorFixed">True when f is fixed at 1 (projection replaces the embedding) and cannot be overridden.</param>
/// <param name="Members">The projectors averaged into P, with the input each one reads.</param>
/// <param name="OutputDimension">Dimension after the step.</param>
public sealed record FusionStep(
    string Bond,
    string Keep,
    float Factor,
    bool FactorFixed,
    IReadOnlyList<ProjectorMember> Members,
    int OutputDimension)
{
    /// <summary>Names the running embedding in <see cref="Keep"/> and <see cref="ProjectorMember.Input"/>.</summary>
    public const string Current = "current";
}
