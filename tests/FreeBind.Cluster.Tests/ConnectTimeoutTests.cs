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

    [Fact]
    public async Task Unreachable_membership_table_fails_naming_it()
    {
        // Azure Table clustering whose table endpoint refuses connections: nothing listens on the port.
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var startInfo = CliProcess.CreateStartInfo("jobs", "--cluster");
        startInfo.Environment["Orleans__ClusterId"] = $"down-{Guid.NewGuid():N}";
        startInfo.Environment["Orleans__Clustering__ProviderType"] = "AzureTableStorage";
        startInfo.Environment["Orleans__Clustering__ConnectionString"] =
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
            "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
            $"TableEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
        startInfo.Environment["FreeBind__Client__ConnectTimeout"] = "2";

        using var process = Process.Start(startInfo)!;
        var standardError = process.StandardError.ReadToEndAsync();
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var error = (await standardError).TrimEnd();
        await standardOutput;

        Assert.Equal(1, process.ExitCode);
        var lastLine = error.Split('\n')[^1];
        Assert.StartsWith("error: reading the membership of cluster 'down-", lastLine, StringComparison.Ordinal);
        Assert.Contains("(clustering AzureTableStorage) failed (", lastLine, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", lastLine, StringComparison.Ordinal);
        Assert.Contains("check that the clustering storage is reachable", lastLine, StringComparison.Ordinal);
    }
}
