using Microsoft.Extensions.Configuration;

namespace FreeBind.Client;

/// <summary>
/// Retries a client's calls while the silo they went through is unreachable, for example after
/// that silo was killed. Orleans then routes the next call through another gateway, and the job
/// itself carries on in the cluster.
/// </summary>
/// <param name="budget">Maximum time calls may keep failing before the error is raised.</param>
/// <param name="delay">Wait between attempts.</param>
/// <param name="log">Where the one line about the first failure goes (standard error in the CLI).</param>
internal sealed class ClusterCallRetry(TimeSpan budget, TimeSpan delay, TextWriter log)
{
    /// <summary>
    /// Maximum wait for one status call. Orleans 10 declares a killed silo dead after about 15 s
    /// with its default probe settings, so a status call lost with that silo is repeated after this.
    /// </summary>
    public static readonly TimeSpan StatusCallTimeout = TimeSpan.FromSeconds(30);

    private DateTime? _failingSince;

    /// <summary>
    /// Creates the CLI's retry: it waits as long as the first connection may
    /// (<c>FreeBind__Client__ConnectTimeout</c>, default two minutes), one second between attempts,
    /// and reports on standard error.
    /// </summary>
    public static ClusterCallRetry ForCommandLine() =>
        new(
            ConnectionRetryFilter.ReadConnectTimeout(new ConfigurationBuilder().AddEnvironmentVariables().Build()),
            TimeSpan.FromSeconds(1),
            Console.Error);

    /// <summary>
    /// Runs <paramref name="call"/>, repeating it after transient cluster errors until it succeeds
    /// or calls have failed for longer than the budget.
    /// </summary>
    /// <param name="call">The call, given a token that is cancelled when the attempt times out.</param>
    /// <param name="attemptTimeout">
    /// Maximum wait for one attempt, or null for no limit. A call that went to a silo that then died can
    /// stay unanswered until the client's response timeout (30 min), so short calls such as status
    /// polls set this and are repeated instead.
    /// </param>
    /// <param name="cancellationToken">Stops the retries; its cancellation is raised, not retried.</param>
    /// <exception cref="ClusterUnavailableException">Calls kept failing for longer than the budget.</exception>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, TimeSpan? attemptTimeout, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (attemptTimeout is { } timeout)
            {
                attempt.CancelAfter(timeout);
            }

            Exception failure;
            try
            {
                var result = await call(attempt.Token).ConfigureAwait(false);
                if (_failingSince is not null)
                {
                    log.WriteLine("reconnected to the cluster");
                    _failingSince = null;
                }

                return result;
            }
            catch (OperationCanceledException exception) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                failure = new TimeoutException($"no response within {attemptTimeout!.Value.TotalSeconds:0} s", exception);
            }
            catch (Exception exception) when (IsTransient(exception) && !cancellationToken.IsCancellationRequested)
            {
                failure = exception;
            }

            var now = DateTime.UtcNow;
            var reason = $"{failure.GetType().Name}: {failure.Message.Split('\n')[0].TrimEnd()}";
            if (_failingSince is null)
            {
                _failingSince = now;
                log.WriteLine(
                    $"warning: a call to the cluster failed ({reason}); retrying through other gateways " +
                    $"for up to {budget.TotalSeconds:0} s");
            }
            else if (now - _failingSince > budget)
            {
                throw new ClusterUnavailableException(
                    $"calls to the cluster failed for {budget.TotalSeconds:0} s ({reason}): check that its silos run; " +
                    "a job keeps running in the cluster, so 'freebind status <job> --cluster' shows it, and " +
                    "FreeBind__Client__ConnectTimeout sets this wait.",
                    failure);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Returns true for errors of the connection or of a silo that went away, which a later call
    /// through another gateway can avoid. Errors that a grain threw are not transient.
    /// </summary>
    public static bool IsTransient(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException
            or TimeoutException
            or Orleans.Runtime.Messaging.ConnectionFailedException;
}
