namespace FreeBind.Training;

/// <summary>
/// Trains one projector (one data mode of a bond), keyed <c>&lt;job&gt;/&lt;mode&gt;</c>: coordinates
/// synchronous steps over worker grains, checkpoints, validates and keeps the best weights.
/// </summary>
[Alias("FreeBind.IBondTrainerGrain")]
public interface IBondTrainerGrain : IGrainWithStringKey
{
    /// <summary>Starts training unless it already runs or finished; returns the status.</summary>
    [Alias("StartAsync")]
    Task<TrainerStatus> StartAsync(TrainingJobRequest request, string mode, CancellationToken cancellationToken = default);

    [Alias("GetStatusAsync")]
    Task<TrainerStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
