using Microsoft.Extensions.Logging;

namespace FreeBind.Placement;

/// <summary>
/// Applies the <see cref="GpuPlacementOptions"/> policy to one job's shard calls: under
/// <c>wait</c> it holds calls while no GPU silo is active and marks them GPU-only, and under
/// <c>fallback-cpu</c> it lets them run on any silo with one warning.
/// </summary>
/// <remarks>
/// Create one per job run with <see cref="GpuSiloMonitor.CreateGuard"/>. Its methods run on the
/// job grain's scheduler, so its fields need no locks.
/// A GPU silo that crashed stays active in membership until the other silos declare it dead
/// (Orleans 10's defaults: about 15 s); shard calls placed on it in that window fail, and the
/// job repeats them after a pause without using up an attempt (see <c>ShardAttempts</c>).
/// </remarks>
public sealed partial class GpuPlacementGuard
{
    /// <summary>Status text while a job waits; clients can match its start.</summary>
    public const string WaitingMessage = "waiting for a GPU silo";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private readonly string jobId;
    private readonly bool requiresGpu;
    private readonly GpuPlacementOptions options;
    private readonly GpuSiloMonitor monitor;
    private readonly Action<string?> reportWaiting;
    private readonly ILogger logger;
    private DateTimeOffset? waitingSince;
    private bool warnedFallback;

    internal GpuPlacementGuard(
        string jobId,
        bool requiresGpu,
        GpuPlacementOptions options,
        GpuSiloMonitor monitor,
        Action<string?> reportWaiting,
        ILogger<GpuPlacementGuard> logger)
    {
        this.jobId = jobId;
        this.requiresGpu = requiresGpu;
        this.options = options;
        this.monitor = monitor;
        this.reportWaiting = reportWaiting;
        this.logger = logger;
    }

    /// <summary>
    /// Runs <paramref name="call"/> once a GPU silo is active, or at once when the job needs none
    /// or the policy is <c>fallback-cpu</c>. A call that fails while no GPU silo is active is
    /// repeated after the wait and does not count as a failure; its argument counts those repeats,
    /// so the caller can use a new grain key for each.
    /// </summary>
    /// <exception cref="NoGpuSiloException">No GPU silo joined within the wait timeout.</exception>
    public async Task<T> RunAsync<T>(Func<int, Task<T>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var pinned = requiresGpu && !options.FallsBackToCpu;
        for (var repeat = 0; ; repeat++)
        {
            await WaitForGpuSiloAsync(cancellationToken);
            if (pinned)
            {
                RequestContext.Set(GpuPlacementFilterDirector.GpuRequiredKey, true);
            }

            try
            {
                return await call(repeat);
            }
            catch (Exception exception) when (pinned && monitor.CountActiveGpuSilos() == 0)
            {
                LogCallLostGpuSilo(exception, jobId);
            }
            finally
            {
                RequestContext.Remove(GpuPlacementFilterDirector.GpuRequiredKey);
            }
        }
    }

    private async Task WaitForGpuSiloAsync(CancellationToken cancellationToken)
    {
        if (!requiresGpu || monitor.CountActiveGpuSilos() > 0)
        {
            StopWaiting();
            return;
        }

        if (options.FallsBackToCpu)
        {
            if (!warnedFallback)
            {
                warnedFallback = true;
                LogFallback(jobId);
            }

            return;
        }

        if (waitingSince is null)
        {
            waitingSince = DateTimeOffset.UtcNow;
            LogWaiting(jobId, options.GpuWaitTimeout);
        }

        var deadline = waitingSince.Value + options.GpuWaitTimeout;
        reportWaiting($"{WaitingMessage} since {waitingSince.Value:u}; the job fails at {deadline:u}");
        while (monitor.CountActiveGpuSilos() == 0)
        {
            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new NoGpuSiloException(
                    $"job {jobId} waited {options.GpuWaitTimeout} for a GPU silo and none joined: start a silo with gpu=true, " +
                    "raise FreeBind:Placement:GpuWaitTimeout, or set FreeBind:Placement:WhenNoGpuSilo=fallback-cpu, " +
                    "then run the same command again to resume.");
            }

            // Membership and silo metadata raise no event this guard can await, so it polls.
            await Task.Delay(PollInterval, cancellationToken);
        }

        StopWaiting();
    }

    private void StopWaiting()
    {
        if (waitingSince is null)
        {
            return;
        }

        LogResumed(jobId, DateTimeOffset.UtcNow - waitingSince.Value);
        waitingSince = null;
        reportWaiting(null);
    }

    [LoggerMessage(EventId = 720, Level = LogLevel.Warning,
        Message = "Job {JobId} needs a GPU silo and none is active: shards wait up to {Timeout} for one to join")]
    private partial void LogWaiting(string jobId, TimeSpan timeout);

    [LoggerMessage(EventId = 721, Level = LogLevel.Information, Message = "Job {JobId} resumes: a GPU silo is active after {Waited}")]
    private partial void LogResumed(string jobId, TimeSpan waited);

    [LoggerMessage(EventId = 722, Level = LogLevel.Warning,
        Message = "Job {JobId} needs a GPU silo and none is active: its shards run on any silo (FreeBind:Placement:WhenNoGpuSilo=fallback-cpu)")]
    private partial void LogFallback(string jobId);

    [LoggerMessage(EventId = 723, Level = LogLevel.Warning,
        Message = "Job {JobId}: a shard call failed while no GPU silo is active; it runs again once one joins")]
    private partial void LogCallLostGpuSilo(Exception exception, string jobId);
}
