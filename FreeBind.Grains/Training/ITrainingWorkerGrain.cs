namespace FreeBind.Training;

/// <summary>
/// A training worker, keyed <c>&lt;job&gt;/&lt;mode&gt;/g&lt;generation&gt;/w&lt;index&gt;</c>: keeps its slice of
/// each global batch and runs the phases of <see cref="ITrainingShard"/> on it for the trainer.
/// </summary>
/// <remarks>Only bond-trainer grains call it; its messages are the wire forms in TrainingWire.cs.</remarks>
[Alias("FreeBind.ITrainingWorkerGrain")]
public interface ITrainingWorkerGrain : IGrainWithStringKey
{
    /// <summary>Loads the dataset and returns the worker's silo and the provider of its matrix products.</summary>
    [Alias("LoadAsync")]
    Task<TrainingWorkerInfo> LoadAsync(TrainingWorkerSetup setup, CancellationToken cancellationToken = default);

    /// <summary>Takes this worker's contiguous slice of global batch <paramref name="batch"/> of <paramref name="epoch"/>.</summary>
    [Alias("SelectBatchAsync")]
    Task<int> SelectBatchAsync(int epoch, int batch, CancellationToken cancellationToken = default);

    [Alias("ForwardHiddenAsync")]
    Task<WireMoments> ForwardHiddenAsync(WireProjector weights, CancellationToken cancellationToken = default);

    [Alias("ForwardOutputAsync")]
    Task<WireMoments> ForwardOutputAsync(WireStatistics hidden, CancellationToken cancellationToken = default);

    [Alias("NormalizeAsync")]
    Task<WireTargets> NormalizeAsync(WireStatistics output, CancellationToken cancellationToken = default);

    [Alias("ComputeLogitsAsync")]
    Task<WireLogitSummary> ComputeLogitsAsync(WireLogitRequest request, CancellationToken cancellationToken = default);

    [Alias("BackwardLossAsync")]
    Task<WireGradientSums> BackwardLossAsync(double[] columnLogSumExp, CancellationToken cancellationToken = default);

    [Alias("BackwardOutputLayerAsync")]
    Task<WireGradientSums> BackwardOutputLayerAsync(WireGradientSums output, CancellationToken cancellationToken = default);

    [Alias("BackwardHiddenLayerAsync")]
    Task<WireParameterGradients> BackwardHiddenLayerAsync(WireGradientSums hidden, CancellationToken cancellationToken = default);

    /// <summary>Frees the worker's buffers and deactivates it.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(CancellationToken cancellationToken = default);
}
