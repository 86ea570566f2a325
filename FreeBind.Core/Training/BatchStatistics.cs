namespace FreeBind.Training;

/// <summary>Batch mean and biased variance of one BatchNorm layer's input over the whole global batch.</summary>
/// <param name="Rows">Global batch size.</param>
/// <param name="Mean">Per-feature mean, [features].</param>
/// <param name="Variance">Per-feature variance divided by <paramref name="Rows"/>, [features].</param>
public sealed record BatchStatistics(int Rows, double[] Mean, double[] Variance);
