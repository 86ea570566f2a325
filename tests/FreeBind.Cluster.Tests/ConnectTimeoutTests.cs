using System.Diagnostics;

using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>
/// <c>freebind --cluster</c> against a Redis membership table with no silos gives up after
/// FreeBind__Client__ConnectTimeout instead of the two-minute default.
/// </summary>
public sealed class ConnectTimeoutTests
{
    [Fact]
    public async Task Empty_cluster_fails_after_timeout()
    {
        using var start = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await using var redis = await RedisServer.StartAsync(start.Token);
        var startInfo = CliProcess.CreateStartInfo("jobs", "--cluster");
        startInfo.Environment["Orleans__ClusterId"] = $"empty-{Guid.NewGuid():N}";
        startInfo.Environment["Orleans__Clustering__ProviderType"] = "Redis";
        startInfo.Environment["Orleans__Clustering__ConnectionString"] = redis.ConnectionString;
        startInfo.Environment["FreeBind__Client__ConnectTimeout"] = "2";

        var timer = Stopwatch.StartNew();
        using var process = Process.Start(startInfo)!;
        var standardError = process.StandardError.ReadToEndAsync();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = await standardError;
        await standardOutput;

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("no gateway of cluster", error);
        Assert.Contains("FreeBind__Client__ConnectTimeout sets how long to wait (now 2 s)", error);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(60), $"the client waited {timer.Elapsed.TotalSeconds:F0} s");
    }
}
