namespace FreeBind.Bonds;

/// <summary>One projector of a fusion step and the embedding it reads.</summary>
/// <param name="Input"><see cref="FusionStep.Current"/> or the name of an input space.</param>
/// <param name="Weights">The projector.</param>
/// <param name="Label">"set/datamode", for errors.</param>
public sealed record ProjectorMember(string Input, ProjectorWeights Weights, string Label);
