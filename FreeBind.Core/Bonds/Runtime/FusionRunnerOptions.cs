using FreeBind.Encoders;

namespace FreeBind.Bonds.Runtime;

/// <summary>Where and how a <see cref="FusionRunner"/> runs its ONNX Runtime session.</summary>
public sealed record FusionRunnerOptions
{
    /// <summary>Execution provider: <see cref="ExecutionProvider.Auto"/> (the default) tries CUDA and falls back to CPU.</summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Auto;

    /// <summary>CUDA device index; 0 by default.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads inside one operator; 0 (the default) lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }
}
