using FreeBind.Jobs;
using FreeBind.Training;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FreeBind.Hosting;

/// <summary>
/// Calls every registered job that is still running at a fixed interval. A call re-activates a
/// coordinator whose silo died, and its activation resumes the job from persistent state, so
/// jobs finish even when no client is polling them.
/// </summary>
/// <remarks>
/// Every silo runs one; the calls are cheap status reads. Jobs seen completed or failed are
/// remembered and not called again by this silo.
/// NOTE: an Orleans reminder per running job would wake coordinators without this polling, but
/// needs a reminder service on every silo and test cluster; this keeper needs none.
/// </remarks>
internal sealed partial class RunningJobKeeper(
    IGrainFactory grains,
    IOptions<FreeBindSiloOptions> options,
    ILogger<RunningJobKeeper> logger) : BackgroundService
{
    private readonly HashSet<string> finished = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.JobKeeperInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await VisitJobsAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The silo may still be joining, or the registry's silo may have just died: try next tick.
                LogVisitFailed(exception);
            }
        }
    }

    private async Task VisitJobsAsync(CancellationToken cancellationToken)
    {
        var registry = grains.GetGrain<IJobRegistryGrain>(0);
        var jobIds = await registry.ListAsync(cancellationToken);
        foreach (var jobId in jobIds.Where(id => !finished.Contains(id)))
        {
            var kind = await registry.GetKindAsync(jobId, cancellationToken);
            EmbeddingJobState state;
            switch (kind)
            {
                case JobKinds.Embed:
                    var status = await grains.GetGrain<IEmbeddingJobGrain>(jobId).GetStatusAsync(cancellationToken);
                    state = status.State;
                    break;
                case JobKinds.Train:
                    // Reading the job's status calls every trainer, which re-activates a dead one.
                    state = (await grains.GetGrain<ITrainingJobGrain>(jobId).GetStatusAsync(cancellationToken)).State;
                    break;
                default:
                    // Fuse and pseudo jobs do not resume on activation, so there is nothing to wake.
                    state = EmbeddingJobState.Completed;
                    break;
            }

            if (state is EmbeddingJobState.Completed or EmbeddingJobState.Failed or EmbeddingJobState.Cancelled)
            {
                finished.Add(jobId);
            }
        }
    }

    [LoggerMessage(EventId = 710, Level = LogLevel.Warning, Message = "Checking running jobs failed; the next check retries")]
    private partial void LogVisitFailed(Exception exception);
}
