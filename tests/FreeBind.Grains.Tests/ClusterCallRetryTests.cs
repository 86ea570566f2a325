using FreeBind.Client;

namespace FreeBind.Tests;

public sealed class ClusterCallRetryTests
{
    private readonly StringWriter log = new();
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));

    [Fact]
    public async Task TransientErrors_RetriedUntilSuccess()
    {
        var retry = new ClusterCallRetry(TimeSpan.FromMinutes(1), TimeSpan.Zero, log);
        var calls = 0;

        var result = await retry.RunAsync(
            _ => ++calls < 3 ? throw new SiloUnavailableException("silo S127.0.0.1:11111 is dead") : Task.FromResult(42),
            null,
            timeout.Token);

        Assert.Equal(42, result);
        Assert.Equal(3, calls);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("warning: a call to the cluster failed (SiloUnavailableException: silo S127.0.0.1:11111 is dead)", lines[0]);
        Assert.Equal("reconnected to the cluster", lines[1]);
    }

    [Fact]
    public async Task GrainError_RaisedWithoutRetry()
    {
        var retry = new ClusterCallRetry(TimeSpan.FromMinutes(1), TimeSpan.Zero, log);
        var calls = 0;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => retry.RunAsync<int>(
            _ =>
            {
                calls++;
                throw new InvalidOperationException("job failed");
            },
            null,
            timeout.Token));

        Assert.Equal("job failed", error.Message);
        Assert.Equal(1, calls);
        Assert.Empty(log.ToString());
    }

    [Fact]
    public async Task UnansweredCall_RepeatedAfterAttemptTimeout()
    {
        var retry = new ClusterCallRetry(TimeSpan.FromMinutes(1), TimeSpan.Zero, log);
        var calls = 0;

        // The first attempt never completes on its own, like a call lost with a killed silo.
        var result = await retry.RunAsync(
            async token =>
            {
                if (++calls == 1)
                {
                    await Task.Delay(Timeout.InfiniteTimeSpan, token);
                }

                return "status";
            },
            TimeSpan.FromMilliseconds(50),
            timeout.Token);

        Assert.Equal("status", result);
        Assert.Equal(2, calls);
        Assert.Contains("(TimeoutException: no response within 0 s)", log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FailuresPastBudget_RaiseOneLine()
    {
        var retry = new ClusterCallRetry(TimeSpan.Zero, TimeSpan.FromMilliseconds(1), log);

        var error = await Assert.ThrowsAsync<ClusterUnavailableException>(() => retry.RunAsync<int>(
            _ => throw new Orleans.Runtime.Messaging.ConnectionFailedException("Unable to connect to S127.0.0.1:51825\n   at stack"),
            null,
            timeout.Token));

        Assert.StartsWith(
            "calls to the cluster failed for 0 s (ConnectionFailedException: Unable to connect to S127.0.0.1:51825)",
            error.Message,
            StringComparison.Ordinal);
        Assert.Contains("freebind status <job> --cluster", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public async Task CallerCancellation_NotRetried()
    {
        var retry = new ClusterCallRetry(TimeSpan.FromMinutes(1), TimeSpan.Zero, log);
        using var cancellation = new CancellationTokenSource();
        var calls = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => retry.RunAsync<int>(
            async token =>
            {
                calls++;
                await cancellation.CancelAsync();
                token.ThrowIfCancellationRequested();
                return 0;
            },
            TimeSpan.FromMinutes(1),
            cancellation.Token));

        Assert.Equal(1, calls);
    }
}
