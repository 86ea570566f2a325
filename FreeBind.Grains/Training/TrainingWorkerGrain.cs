using FreeBind.Encoders;
using FreeBind.Placement;

using Microsoft.Extensions.Options;

using Orleans.Placement;

namespace FreeBind.Training;

/// <summary>
/// Runs the phases of a training step on its slice of the global batch, on the silo's GPU when
/// it has one (placed on GPU silos first, like encoder grains).
/// </summary>
[GpuPlacementFilter]
[ActivationCountBasedPlacement]
public sealed class TrainingWorkerGrain(
    TrainingDatasetCache datasets, IOptions<EncoderOptions> encoderOptions, ILocalSiloDetails silo)
    : Grain, ITrainingWorkerGrain
{
    private TrainingWorkerSetup? _setup;
    private TrainingDataset? _dataset;
    private TrainingShard? _shard;
    private (int Epoch, int[] Order)? _epochOrder;
    private float[] _source = [];
    private float[] _target = [];

    /// <inheritdoc />
    public async Task<TrainingWorkerInfo> LoadAsync(TrainingWorkerSetup setup, CancellationToken cancellationToken)
    {
        _dataset = await datasets.GetAsync(setup, cancellationToken);
        _setup = setup;
        _shard ??= new TrainingShard(new TrainingShardOptions
        {
            Provider = encoderOptions.Value.Provider,
            DeviceId = encoderOptions.Value.DeviceId,
            IntraOpThreads = encoderOptions.Value.IntraOpThreads,
        });
        return new TrainingWorkerInfo { Provider = _shard.Provider, Silo = silo.SiloAddress.ToString() };
    }

    /// <inheritdoc />
    public Task<int> SelectBatchAsync(int epoch, int batch, CancellationToken cancellationToken)
    {
        var (setup, dataset, shard) = Loaded();
        if (_epochOrder is not { } cached || cached.Epoch != epoch)
        {
            cached = (epoch, dataset.EpochOrder(setup.Seed, epoch));
            _epochOrder = cached;
        }

        var size = dataset.EffectiveBatchSize(setup.BatchSize);
        var start = batch * size;
        var first = start + (int)((long)setup.WorkerIndex * size / setup.WorkerCount);
        var end = start + (int)((long)(setup.WorkerIndex + 1) * size / setup.WorkerCount);
        var rows = end - first;
        if (rows < 1)
        {
            throw new InvalidOperationException(
                $"worker {setup.WorkerIndex} of {setup.WorkerCount} gets no rows of a global batch of {size}; use fewer workers than the batch size.");
        }

        if (_source.Length != rows * dataset.SourceDimension)
        {
            _source = new float[rows * dataset.SourceDimension];
            _target = new float[rows * dataset.TargetDimension];
        }

        dataset.CopyRows(cached.Order.AsSpan(first, rows), _source, _target);
        shard.LoadBatch(_source, _target, rows);
        return Task.FromResult(rows);
    }

    /// <inheritdoc />
    public async Task<WireMoments> ForwardHiddenAsync(WireProjector weights, CancellationToken cancellationToken) =>
        WireMoments.From(await Loaded().Shard.ForwardHiddenAsync(weights.ToCore(), cancellationToken));

    /// <inheritdoc />
    public async Task<WireMoments> ForwardOutputAsync(WireStatistics hidden, CancellationToken cancellationToken) =>
        WireMoments.From(await Loaded().Shard.ForwardOutputAsync(hidden.ToCore(), cancellationToken));

    /// <inheritdoc />
    public async Task<WireTargets> NormalizeAsync(WireStatistics output, CancellationToken cancellationToken) =>
        WireTargets.From(await Loaded().Shard.NormalizeAsync(output.ToCore(), cancellationToken));

    /// <inheritdoc />
    public async Task<WireLogitSummary> ComputeLogitsAsync(WireLogitRequest request, CancellationToken cancellationToken) =>
        WireLogitSummary.From(await Loaded().Shard.ComputeLogitsAsync(request.ToCore(), cancellationToken));

    /// <inheritdoc />
    public async Task<WireGradientSums> BackwardLossAsync(double[] columnLogSumExp, CancellationToken cancellationToken) =>
        WireGradientSums.From(await Loaded().Shard.BackwardLossAsync(columnLogSumExp, cancellationToken));

    /// <inheritdoc />
    public async Task<WireGradientSums> BackwardOutputLayerAsync(WireGradientSums output, CancellationToken cancellationToken) =>
        WireGradientSums.From(await Loaded().Shard.BackwardOutputLayerAsync(output.ToCore(), cancellationToken));

    /// <inheritdoc />
    public async Task<WireParameterGradients> BackwardHiddenLayerAsync(WireGradientSums hidden, CancellationToken cancellationToken) =>
        WireParameterGradients.From(await Loaded().Shard.BackwardHiddenLayerAsync(hidden.ToCore(), cancellationToken));

    /// <inheritdoc />
    public Task ReleaseAsync(CancellationToken cancellationToken)
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _shard?.Dispose();
        _shard = null;
        return Task.CompletedTask;
    }

    private (TrainingWorkerSetup Setup, TrainingDataset Dataset, TrainingShard Shard) Loaded() =>
        _setup is not null && _dataset is not null && _shard is not null
            ? (_setup, _dataset, _shard)
            : throw new InvalidOperationException(
                $"training worker '{this.GetPrimaryKeyString()}' has no dataset (it was re-activated after a failure); the trainer replaces it.");
}
