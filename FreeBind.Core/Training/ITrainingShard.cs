using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>
/// One worker of a distributed training step: it holds a contiguous slice of the global batch and
/// runs the phases of one step on it, in order, for <see cref="TrainingStepCoordinator"/>.
/// </summary>
/// <remarks>
/// Every phase takes and returns plain arrays and records, so a remote implementation (such as a
/// grain) can forward them. Each phase needs the merged result of the previous one, so a shard keeps
/// its activations between calls and a step must not interleave with another on the same shard.
/// </remarks>
public interface ITrainingShard
{
    /// <summary>
    /// Phase A: stores <paramref name="weights"/> for this step and computes a₁ = x·W₁ᵀ + b₁ on the
    /// shard's rows. Returns the per-feature moments of a₁.
    /// </summary>
    Task<FeatureMoments> ForwardHiddenAsync(ProjectorWeights weights, CancellationToken cancellationToken);

    /// <summary>
    /// Phase B: h = act(BN₁(a₁)) with the global batch statistics, a₂ = h·W₂ᵀ + b₂. Returns the moments of a₂.
    /// </summary>
    Task<FeatureMoments> ForwardOutputAsync(BatchStatistics hidden, CancellationToken cancellationToken);

    /// <summary>Phase C: y = BN₂(a₂), z = y / ‖y‖. Returns the shard's L2-normalised target rows.</summary>
    Task<ShardTargets> NormalizeAsync(BatchStatistics output, CancellationToken cancellationToken);

    /// <summary>
    /// Phase D: the shard's logit rows S_i = s·z_i·Tᵀ, their row softmax and partial column log-sum-exp.
    /// </summary>
    Task<LogitSummary> ComputeLogitsAsync(LogitRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Phase E: dL/dS for the shard's rows from the exact column log-sum-exp [B], back through the
    /// logits and the L2 normalisation to the output BatchNorm. Returns Σ dy and Σ dy·x̂₂.
    /// </summary>
    Task<GradientSums> BackwardLossAsync(double[] columnLogSumExp, CancellationToken cancellationToken);

    /// <summary>
    /// Phase F: BN₂ backward with the global sums, the second Linear's gradients and the activation's
    /// backward pass. Returns the sums the hidden BatchNorm needs.
    /// </summary>
    Task<GradientSums> BackwardOutputLayerAsync(GradientSums output, CancellationToken cancellationToken);

    /// <summary>Phase G: BN₁ backward with the global sums and the Linear gradients of the shard's rows.</summary>
    Task<ShardParameterGradients> BackwardHiddenLayerAsync(GradientSums hidden, CancellationToken cancellationToken);
}
