namespace FreeBind.Jobs;

/// <summary>
/// Coordinates one embedding job: plans the corpus into shards and hands each shard to an
/// encoder grain. It never relays embeddings; encoder grains write them to storage.
/// </summary>
[Alias("FreeBind.IEmbeddingJobGrain")]
public interface IEmbeddingJobGrain : IGrainWithStringKey
{
    /// <summary>
    /// Checks the encoders and starts the job in the background; returns once the encoders
    /// loaded. Starting a job that is already running or done returns its status unchanged.
    /// </summary>
    [Alias("StartAsync")]
    Task<EmbeddingJobStatus> StartAsync(EmbeddingJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops a running job: shards in flight stop at their next cancellation check, and completed
    /// shards stay. Returns the status once the job has stopped. Starting the job again resumes it.
    /// A job that is not running is returned unchanged.
    /// </summary>
    [Alias("CancelAsync")]
    Task<EmbeddingJobStatus> CancelAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns the job's current progress.</summary>
    [Alias("GetStatusAsync")]
    Task<EmbeddingJobStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
