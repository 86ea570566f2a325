namespace FreeBind.Training;

/// <summary>Result of the forward and backward pass of one step, before clipping and the optimiser.</summary>
/// <param name="Loss">Loss over the global batch.</param>
/// <param name="Gradients">Gradients summed over shards; owned by the coordinator and overwritten by its next step.</param>
/// <param name="HiddenStatistics">Batch statistics of the first BatchNorm's input.</param>
/// <param name="OutputStatistics">Batch statistics of the second BatchNorm's input.</param>
public sealed record GradientComputation(
    TrainingLoss Loss,
    ProjectorGradients Gradients,
    BatchStatistics HiddenStatistics,
    BatchStatistics OutputStatistics);
