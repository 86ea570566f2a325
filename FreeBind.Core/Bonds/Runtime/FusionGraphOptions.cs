namespace FreeBind.Bonds.Runtime;

/// <summary>Choices for the ONNX graph that <see cref="FusionGraphBuilder"/> builds.</summary>
public sealed record FusionGraphOptions
{
    /// <summary>
    /// When true (the default), each step whose factor is not fixed gets an optional scalar float
    /// input <c>factor_&lt;bond&gt;</c> whose default is the plan's factor; when false, the factors
    /// are constants of the graph.
    /// </summary>
    public bool FactorInputs { get; init; } = true;

    /// <summary>How the projectors of one ensemble are laid out; see <see cref="ProjectorLayout"/>.</summary>
    public ProjectorLayout Layout { get; init; } = ProjectorLayout.PerMember;
}
