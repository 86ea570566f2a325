using FreeBind.Media;

namespace FreeBind.Bonds.Graph;

/// <summary>One bond of a bond file, validated, with its projector sets loaded.</summary>
/// <param name="Name">Bond name, unique in the file; profiles and overrides refer to it.</param>
/// <param name="Kind">Combination or displacement.</param>
/// <param name="Experts">
/// Expert space names; more than one makes a parallel bond whose projection is the mean over the
/// projectors of all its experts.
/// </param>
/// <param name="ProjectorPaths">Full path of each expert's projector folder.</param>
/// <param name="ProjectorSets">Projector set of each expert.</param>
/// <param name="Factors">Default factor per modality the bond mixes.</param>
public sealed record BondSpec(
    string Name,
    BondKind Kind,
    IReadOnlyList<string> Experts,
    IReadOnlyDictionary<string, string> ProjectorPaths,
    IReadOnlyDictionary<string, ProjectorSet> ProjectorSets,
    IReadOnlyDictionary<Modality, float> Factors);
