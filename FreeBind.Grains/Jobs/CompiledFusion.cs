using FreeBind.Pipeline;

namespace FreeBind.Jobs;

/// <summary>A fusion target and the ONNX runners behind its plans, disposed together.</summary>
public sealed class CompiledFusion(FusionTarget target, IReadOnlyList<IDisposable> resources) : IDisposable
{
    /// <summary>The plans and how to run them.</summary>
    public FusionTarget Target { get; } = target;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var resource in resources)
        {
            resource.Dispose();
        }
    }
}
