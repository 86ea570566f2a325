namespace FreeBind.Training;

/// <summary>Input of the logit phase: every target of the global batch and where the shard's rows start.</summary>
/// <param name="Targets">All L2-normalised targets, [BatchSize, output dimension], row-major, in shard order.</param>
/// <param name="BatchSize">Global batch size B.</param>
/// <param name="RowOffset">Index in the global batch of the shard's first row.</param>
/// <param name="Scale">Logit scale s = 1/τ.</param>
/// <param name="MseWeight">Weight λ of the mean squared error term.</param>
public sealed record LogitRequest(float[] Targets, int BatchSize, int RowOffset, float Scale, double MseWeight);
