using FreeBind.Encoders;

namespace FreeBind.Training;

/// <summary>Where a <see cref="TrainingShard"/> runs its matrix products.</summary>
public sealed record TrainingShardOptions
{
    /// <summary>
    /// Execution provider; <see cref="ExecutionProvider.Cpu"/> by default so that training gives the
    /// same numbers on every machine. <see cref="ExecutionProvider.Auto"/> tries CUDA and falls back to CPU.
    /// </summary>
    public ExecutionProvider Provider { get; init; } = ExecutionProvider.Cpu;

    /// <summary>CUDA device index; 0 by default.</summary>
    public int DeviceId { get; init; }

    /// <summary>Threads inside one matrix product; 0 (the default) lets ONNX Runtime use one per physical core.</summary>
    public int IntraOpThreads { get; init; }
}
