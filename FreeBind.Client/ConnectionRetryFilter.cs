using Microsoft.Extensions.Logging;

namespace FreeBind.Client;

/// <summary>Keeps retrying the first connection while the cluster forms, for up to two minutes.</summary>
internal sealed partial class ConnectionRetryFilter(ILogger<ConnectionRetryFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(2);
    private readonly DateTime _start = DateTime.UtcNow;
    private int _attempt;

    /// <inheritdoc />
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _start > Deadline)
        {
            return false;
        }

        _attempt++;
        LogRetry(_attempt, exception.Message.Split('\n')[0]);
        await Task.Delay(TimeSpan.FromSeconds(Math.Min(_attempt, 5)), cancellationToken).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning,
        Message = "Cluster not reachable yet (attempt {Attempt}), retrying: {Reason}")]
    private partial void LogRetry(int attempt, string reason);
}
