namespace FreeBind.Training;

/// <summary>
/// A shard's partial gradients of the two Linear layers: sums over its rows, which the coordinator
/// adds over shards. Arrays are owned by the shard and overwritten by its next step.
/// </summary>
/// <param name="Weight1">∂L/∂W₁ summed over the shard's rows, [hidden, in].</param>
/// <param name="Bias1">∂L/∂b₁, [hidden]; all zero with BatchNorm, which cancels the bias exactly.</param>
/// <param name="Weight2">∂L/∂W₂, [out, hidden].</param>
/// <param name="Bias2">∂L/∂b₂, [out]; all zero with BatchNorm.</param>
public sealed record ShardParameterGradients(float[] Weight1, float[] Bias1, float[] Weight2, float[] Bias2);
