using System.Globalization;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace FreeBind.Client;

/// <summary>
/// Keeps retrying the first connection while the cluster forms, for up to
/// <c>FreeBind:Client:ConnectTimeout</c> (default two minutes).
/// </summary>
internal sealed partial class ConnectionRetryFilter(IConfiguration configuration, ILogger<ConnectionRetryFilter> logger)
    : IClientConnectionRetryFilter
{
    /// <summary>Configuration key of the longest wait for a cluster (environment: FreeBind__Client__ConnectTimeout).</summary>
    public const string ConnectTimeoutKey = "FreeBind:Client:ConnectTimeout";

    /// <summary>Wait used when <see cref="ConnectTimeoutKey"/> is not set.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromMinutes(2);

    private readonly TimeSpan _deadline = ReadConnectTimeout(configuration);
    private readonly DateTime _start = DateTime.UtcNow;
    private int _attempt;

    /// <summary>
    /// Reads <see cref="ConnectTimeoutKey"/> as a time span ("00:00:30") or a number of seconds ("30").
    /// </summary>
    /// <exception cref="ArgumentException">The value is neither, or is negative.</exception>
    public static TimeSpan ReadConnectTimeout(IConfiguration configuration)
    {
        var value = configuration[ConnectTimeoutKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return DefaultConnectTimeout;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero)
        {
            return span;
        }

        throw new ArgumentException(
            $"{ConnectTimeoutKey} '{value}' is invalid: give seconds (30) or a time span (00:00:30), 0 or more " +
            "(environment variable FreeBind__Client__ConnectTimeout).");
    }

    /// <inheritdoc />
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow - _start > _deadline)
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
