using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>An <see cref="ITrainingShard"/> whose phases run in a <see cref="ITrainingWorkerGrain"/>.</summary>
internal sealed class RemoteTrainingShard(ITrainingWorkerGrain worker) : ITrainingShard
{
    public async Task<FeatureMoments> ForwardHiddenAsync(ProjectorWeights weights, CancellationToken cancellationToken) =>
        (await worker.ForwardHiddenAsync(WireProjector.From(weights), cancellationToken)).ToCore();

    public async Task<FeatureMoments> ForwardOutputAsync(BatchStatistics hidden, CancellationToken cancellationToken) =>
        (await worker.ForwardOutputAsync(WireStatistics.From(hidden), cancellationToken)).ToCore();

    public async Task<ShardTargets> NormalizeAsync(BatchStatistics output, CancellationToken cancellationToken) =>
        (await worker.NormalizeAsync(WireStatistics.From(output), cancellationToken)).ToCore();

    public async Task<LogitSummary> ComputeLogitsAsync(LogitRequest request, CancellationToken cancellationToken) =>
        (await worker.ComputeLogitsAsync(WireLogitRequest.From(request), cancellationToken)).ToCore();

    public async Task<GradientSums> BackwardLossAsync(double[] columnLogSumExp, CancellationToken cancellationToken) =>
        (await worker.BackwardLossAsync(columnLogSumExp, cancellationToken)).ToCore();

    public async Task<GradientSums> BackwardOutputLayerAsync(GradientSums output, CancellationToken cancellationToken) =>
        (await worker.BackwardOutputLayerAsync(WireGradientSums.From(output), cancellationToken)).ToCore();

    public async Task<ShardParameterGradients> BackwardHiddenLayerAsync(GradientSums hidden, CancellationToken cancellationToken) =>
        (await worker.BackwardHiddenLayerAsync(WireGradientSums.From(hidden), cancellationToken)).ToCore();
}
