namespace FreeBind.Training;

/// <summary>Summary of one optimiser step.</summary>
/// <param name="Step">Number of updates made, this one included.</param>
/// <param name="BatchSize">Global batch size.</param>
/// <param name="Loss">Loss before the update.</param>
/// <param name="GradientNorm">Global L2 norm of the gradients before clipping.</param>
/// <param name="LearningRate">Learning rate after the schedule.</param>
public sealed record TrainingStepResult(long Step, int BatchSize, TrainingLoss Loss, double GradientNorm, double LearningRate);
