namespace FreeBind.Bonds;

/// <summary>
/// A mixture of projectors: one per data mode (mix, A, T, V, AT, AV, TV), each trained on the
/// data of those modalities. The ensemble output is the mean of the members' outputs, L2-normalised.
/// </summary>
/// <param name="Name">Name used in the bond file and in errors.</param>
/// <param name="Members">Projectors by data mode.</param>
public sealed record ProjectorSet(string Name, IReadOnlyDictionary<string, ProjectorWeights> Members);
