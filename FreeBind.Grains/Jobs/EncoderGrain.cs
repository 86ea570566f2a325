using FreeBind.Placement;

using Microsoft.Extensions.Logging;

using Orleans.Placement;

namespace FreeBind.Jobs;

/// <summary>
/// Embeds shards on the silo it lives on. One activation per shard attempt, spread by
/// activation count over GPU silos when the cluster has any, CPU silos otherwise.
/// </summary>
[GpuPlacementFilter]
[ActivationCountBasedPlacement]
public sealed partial class EncoderGrain(
    ShardRunner runner,
    ILocalSiloDetails silo,
    ILogger<EncoderGrain> logger) : Grain, IEncoderGrain
{
    /// <inheritdoc />
    public async Task<IReadOnlyList<EncoderInfo>> PrepareAsync(
        EmbeddingJobRequest request, IReadOnlyList<string> encoders, CancellationToken cancellationToken)
    {
        IReadOnlyList<Encoders.OnnxEncoder> loaded;
        try
        {
            loaded = await runner.LoadEncodersAsync(request, encoders, cancellationToken);
        }
        catch (Exception exception) when (exception is Spaces.SpacesFileException or Encoders.EncoderStartupException or ArgumentException)
        {
            throw new JobConfigurationException(exception.Message);
        }

        return loaded
            .Select(e => new EncoderInfo { Label = e.Label, Fingerprint = e.Fingerprint, Provider = e.Provider })
            .ToList();
    }

    /// <inheritdoc />
    public async Task<ShardResult> EmbedShardAsync(ShardWork work, CancellationToken cancellationToken)
    {
        LogShardStarted(work.JobId, work.ShardIndex, silo.SiloAddress.ToString());
        var outcome = await runner.RunAsync(work, cancellationToken);

        // Each activation serves one shard attempt; leaving early frees its memory at once.
        DeactivateOnIdle();
        return new ShardResult
        {
            ShardIndex = outcome.Shard,
            Entries = outcome.Entries,
            Embeddings = outcome.Embedded.Values.Sum(),
            ErrorsByStage = outcome.Errors.ToDictionary(p => p.Key, p => (long)p.Value),
            Warnings = outcome.Warnings.ToDictionary(p => p.Key, p => (long)p.Value),
            Skipped = outcome.Skipped,
            Silo = silo.SiloAddress.ToString(),
            InferenceSeconds = outcome.InferenceSeconds,
        };
    }

    /// <inheritdoc />
    public Task<string> GetSiloAsync(CancellationToken cancellationToken) =>
        Task.FromResult(silo.SiloAddress.ToString());

    [LoggerMessage(EventId = 300, Level = LogLevel.Debug, Message = "Job {JobId} shard {Shard} started on silo {Silo}")]
    private partial void LogShardStarted(string jobId, int shard, string silo);
}
