namespace FreeBind.Training;

/// <summary>
/// One training job, keyed by job id: starts a bond-trainer grain per data mode, side by side,
/// and reports their progress.
/// </summary>
[Alias("FreeBind.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Checks the request and starts the trainers; a started job returns its status.</summary>
    /// <exception cref="Jobs.JobConfigurationException">The request is invalid; the message names the value.</exception>
    [Alias("StartAsync")]
    Task<TrainingJobStatus> StartAsync(TrainingJobRequest request, CancellationToken cancellationToken = default);

    [Alias("GetStatusAsync")]
    Task<TrainingJobStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
