using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using FreeBind.Jobs;
using FreeBind.Spaces;
using FreeBind.Tests.Infrastructure;

using Xunit.Abstractions;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Orleans.Configuration;

namespace FreeBind.Tests;

/// <summary>
/// Three <c>FreeBind.Silo</c> processes clustered through Azure Table Storage in Azurite, with
/// grain state in Azurite tables: a job survives losing a silo, or a restart of the storage.
/// </summary>
/// <remarks>xUnit makes a new instance per test, so each test has its own Azurite and silos.</remarks>
public sealed class MultiSiloFailoverTests(ITestOutputHelper testOutput) : IAsyncLifetime
{
    private const int SiloCount = 3;
    private const int CopiesPerImage = 40;
    private const string ConnectionName = "tables";
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(6);
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private readonly AzuriteFixture azurite = new();
    private readonly TempDirectory temp = new();
    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = $"test-{Guid.NewGuid():N}";
    private IHost? clientHost;

    private IClusterClient Client => clientHost!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();

        var environment = new Dictionary<string, string>
        {
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["Orleans__Clustering__ProviderType"] = "AzureTableStorage",
            ["Orleans__Clustering__ConnectionName"] = ConnectionName,
            ["Orleans__GrainStorage__freebind__ProviderType"] = "AzureTableStorage",
            ["Orleans__GrainStorage__freebind__ConnectionName"] = ConnectionName,
            [$"ConnectionStrings__{ConnectionName}"] = azurite.ConnectionString,
            ["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1",
            ["FreeBind__Silo__Gpus"] = "",
            ["FreeBind__Silo__JobKeeperInterval"] = "00:00:05",
            ["FreeBind__Encoders__IntraOpThreads"] = "1",
            ["FreeBind__Encoders__MaxConcurrentShards"] = "1",
        };
        var ports = ReserveFreePorts(SiloCount * 2);
        for (var i = 0; i < SiloCount; i++)
        {
            silos.Add(SiloProcess.Start($"silo{i}", ports[2 * i], ports[(2 * i) + 1], environment));
        }

        var started = Stopwatch.StartNew();
        clientHost = await StartClientAsync();
        await WaitForActiveSilosAsync(SiloCount);
        testOutput.WriteLine($"{SiloCount} silos active after {started.Elapsed.TotalSeconds:F1} s");
    }

    public async Task DisposeAsync()
    {
        if (clientHost is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            try
            {
                await clientHost.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // The silos are killed below anyway.
            }

            clientHost.Dispose();
        }

        foreach (var silo in silos)
        {
            silo.Dispose();
        }

        await azurite.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Job_survives_killed_shard_silo()
    {
        var images = CopyCorpus();
        var job = Client.GetGrain<IEmbeddingJobGrain>($"kill-{Guid.NewGuid():N}");
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);

        var victim = await WaitForShardWorkAsync(job);
        var before = await job.GetStatusAsync();
        victim.Kill();
        testOutput.WriteLine(
            $"killed {victim.Name} (coordinator: {victim.HostsCoordinator}) after {victim.ShardsStarted} shard start(s); " +
            $"job had {before.ShardsDone} of {before.ShardsPlanned} shards done");

        // No grain call until the manifest exists: when the coordinator died with its silo, only
        // the silos' running-job keeper can re-activate it.
        await WaitForManifestAsync();
        var status = await WaitForEndAsync(job);
        testOutput.WriteLine($"job {status.State}: {status.ShardsDone} shards, {status.ShardRetries} retries, {status.Embeddings} embeddings");
        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}\n{Logs()}");
        AssertEveryImageOnce(images);
    }

    [Fact]
    public async Task Job_survives_killed_worker_silo()
    {
        var images = CopyCorpus();
        var job = Client.GetGrain<IEmbeddingJobGrain>($"worker-{Guid.NewGuid():N}");
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);

        // The coordinator lives on, and until membership declares the killed silo dead placement
        // may send retried shards back to it: those calls must not use up the shard's attempts.
        var victim = await WaitForShardWorkAsync(job, spareCoordinator: true);
        var before = await job.GetStatusAsync();
        victim.Kill();
        testOutput.WriteLine($"killed {victim.Name} after {victim.ShardsStarted} shard start(s); job had {before.ShardsDone} of {before.ShardsPlanned} shards done");

        var status = await WaitForEndAsync(job);
        testOutput.WriteLine($"job {status.State}: {status.ShardsDone} shards, {status.ShardRetries} retries, {status.Embeddings} embeddings");
        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}\n{Logs()}");
        AssertEveryImageOnce(images);
    }

    [Fact]
    public async Task Job_survives_stopped_coordinator_silo()
    {
        var images = CopyCorpus();
        var job = Client.GetGrain<IEmbeddingJobGrain>($"stop-{Guid.NewGuid():N}");
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);

        // A graceful stop (SIGTERM, as in a rolling restart) deactivates the coordinator, which must
        // leave the job Running for the next activation on another silo.
        await WaitForShardWorkAsync(job);
        var coordinator = silos.Single(s => s.HostsCoordinator);
        var before = await job.GetStatusAsync();
        Assert.True(coordinator.Terminate(TimeSpan.FromMinutes(1)), $"{coordinator.Name} did not stop within a minute.\n{Logs()}");
        testOutput.WriteLine($"stopped {coordinator.Name} with {before.ShardsDone} of {before.ShardsPlanned} shards done");

        var status = await WaitForEndAsync(job);
        testOutput.WriteLine($"job {status.State}: {status.ShardsDone} shards, {status.ShardsSkipped} skipped, {status.Embeddings} embeddings");
        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}\n{Logs()}");
        AssertEveryImageOnce(images);
    }

    [Fact]
    public async Task Cancel_command_stops_cluster_job()
    {
        var images = CopyCorpus();
        var id = $"cancel-{Guid.NewGuid():N}";
        var job = Client.GetGrain<IEmbeddingJobGrain>(id);
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);
        await WaitForShardWorkAsync(job);

        var (exitCode, output) = await RunCliAsync("cancel", id, "--cluster");

        Assert.True(exitCode == 0, $"freebind cancel exited with {exitCode}:\n{output}\n{Logs()}");
        Assert.Contains($"job {id}: Cancelled", output, StringComparison.Ordinal);
        var cancelled = await job.GetStatusAsync();
        Assert.Equal(EmbeddingJobState.Cancelled, cancelled.State);
        Assert.False(File.Exists(Path.Combine(temp.Combine("output"), "manifest.json")), "a cancelled job wrote its manifest");

        // Starting the job again resumes it: the shards done before the cancel are skipped.
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);
        var status = await WaitForEndAsync(job);
        testOutput.WriteLine($"cancelled with {cancelled.ShardsDone} shards done; resumed: {status.ShardsSkipped} skipped of {status.ShardsDone}");
        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}\n{Logs()}");
        Assert.True(status.ShardsSkipped >= cancelled.ShardsDone, $"{status.ShardsSkipped} skipped, {cancelled.ShardsDone} done before");
        AssertEveryImageOnce(images);
    }

    [Fact]
    public async Task Job_survives_storage_restart()
    {
        var images = CopyCorpus();
        var job = Client.GetGrain<IEmbeddingJobGrain>($"restart-{Guid.NewGuid():N}");
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);

        await WaitForShardWorkAsync(job);
        using (var restart = new CancellationTokenSource(TimeSpan.FromMinutes(1)))
        {
            await azurite.RestartAsync(graceful: true, restart.Token);
        }

        var status = await WaitForEndAsync(job);
        testOutput.WriteLine($"job {status.State}: {status.ShardsDone} shards, {status.ShardRetries} retries, {status.Embeddings} embeddings");
        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}\n{Logs()}");
        AssertEveryImageOnce(images);
    }

    private static int[] ReserveFreePorts(int count)
    {
        // Every listener stays open until all ports are chosen, so the ports differ.
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private EmbeddingJobRequest Request()
    {
        var spaces = SpacesFile.Load(RepositoryPaths.SampleSpaces);
        return new EmbeddingJobRequest
        {
            SpacesJson = spaces.Json,
            SpacesBaseDirectory = spaces.BaseDirectory,
            Input = temp.Combine("corpus"),
            Output = temp.Combine("output"),
            Spaces = ["resnet18"],
            Modalities = ["image"],
            ShardSize = 8,
        };
    }

    /// <summary>Copies every sample image <see cref="CopiesPerImage"/> times under distinct names.</summary>
    private int CopyCorpus()
    {
        var folder = Directory.CreateDirectory(temp.Combine("corpus")).FullName;
        var sources = Directory.GetFiles(RepositoryPaths.SampleCorpus)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .ToList();
        Assert.NotEmpty(sources);
        foreach (var source in sources)
        {
            for (var copy = 0; copy < CopiesPerImage; copy++)
            {
                var name = $"{Path.GetFileNameWithoutExtension(source)}-{copy:D3}{Path.GetExtension(source)}";
                File.Copy(source, Path.Combine(folder, name));
            }
        }

        return sources.Count * CopiesPerImage;
    }

    private async Task<IHost> StartClientAsync()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            ["Orleans:Clustering:ProviderType"] = "AzureTableStorage",
            ["Orleans:Clustering:ConnectionName"] = ConnectionName,
            [$"ConnectionStrings:{ConnectionName}"] = azurite.ConnectionString,
        });
        var deadline = Stopwatch.StartNew();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = clusterId;
            });
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(30));

            // The silos are still starting: retry until they publish gateways, within the deadline.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                if (deadline.Elapsed > JoinTimeout || silos.Any(s => s.HasExited))
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync().WaitAsync(JoinTimeout);
        }
        catch (Exception exception)
        {
            throw new InvalidOperationException($"The client did not connect: {exception.Message}\n{Logs()}", exception);
        }

        return host;
    }

    private async Task WaitForActiveSilosAsync(int expected)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var deadline = Stopwatch.StartNew();
        var active = 0;
        while (deadline.Elapsed < JoinTimeout)
        {
            active = (await management.GetHosts(onlyActive: true)).Count;
            if (active == expected)
            {
                return;
            }

            // Polling with a deadline: membership has no event a client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        Assert.Fail($"{active} of {expected} silos active after {JoinTimeout.TotalSeconds} s.\n{Logs()}");
    }

    /// <summary>Waits until a shard is done, then returns a silo running shards: the coordinator's when it runs any.</summary>
    private async Task<SiloProcess> WaitForShardWorkAsync(IEmbeddingJobGrain job, bool spareCoordinator = false)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < JobTimeout)
        {
            var status = await job.GetStatusAsync();
            Assert.True(status.State == EmbeddingJobState.Running,
                $"job is {status.State} ({status.FailureReason}) before the fault: make the corpus bigger.\n{Logs()}");
            // Prefer the coordinator's silo when it runs shards too, so the job also loses its
            // coordinator, unless the caller wants the coordinator kept.
            var victim = spareCoordinator
                ? silos.Where(s => !s.HostsCoordinator).MaxBy(s => s.ShardsStarted)!
                : silos.FirstOrDefault(s => s.HostsCoordinator && s.ShardsStarted > 0) ?? silos.MaxBy(s => s.ShardsStarted)!;
            if (status.ShardsDone >= 1 && victim.ShardsStarted > 0)
            {
                return victim;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        throw new TimeoutException($"no shard finished within {JobTimeout.TotalSeconds} s.\n{Logs()}");
    }

    private async Task WaitForManifestAsync()
    {
        var manifest = Path.Combine(temp.Combine("output"), "manifest.json");
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(manifest))
        {
            Assert.True(deadline.Elapsed < JobTimeout, $"no job manifest within {JobTimeout.TotalSeconds} s.\n{Logs()}");

            // Polling with a deadline: the manifest is the job's only completion signal outside the cluster.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private async Task<EmbeddingJobStatus> WaitForEndAsync(IEmbeddingJobGrain job)
    {
        var deadline = Stopwatch.StartNew();
        Exception? last = null;
        while (deadline.Elapsed < JobTimeout)
        {
            try
            {
                var status = await job.GetStatusAsync();
                if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed or EmbeddingJobState.Cancelled)
                {
                    return status;
                }
            }
            catch (Exception exception) when (exception is OrleansException or TimeoutException or SiloUnavailableException)
            {
                // The coordinator's silo may be gone until membership declares it dead.
                last = exception;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }

        throw new TimeoutException($"the job did not end within {JobTimeout.TotalSeconds} s (last error: {last?.Message}).\n{Logs()}");
    }

    /// <summary>Runs the freebind CLI against this cluster and returns its exit code and output.</summary>
    private async Task<(int ExitCode, string Output)> RunCliAsync(params string[] arguments)
    {
        var startInfo = CliProcess.CreateStartInfo(arguments);
        startInfo.Environment["Orleans__ClusterId"] = clusterId;
        startInfo.Environment["Orleans__ServiceId"] = clusterId;
        startInfo.Environment["Orleans__Clustering__ProviderType"] = "AzureTableStorage";
        startInfo.Environment["Orleans__Clustering__ConnectionName"] = ConnectionName;
        startInfo.Environment[$"ConnectionStrings__{ConnectionName}"] = azurite.ConnectionString;

        using var process = Process.Start(startInfo)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await standardOutput + await standardError);
    }

    private void AssertEveryImageOnce(int images)
    {
        var glob = Path.Combine(temp.Combine("output"), "embeddings", "resnet18", "image", "*.parquet");
        var rows = DuckDb.Query($"SELECT count(*), count(DISTINCT id) FROM read_parquet('{glob}')")[0];
        Assert.Equal((long)images, Convert.ToInt64(rows[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((long)images, Convert.ToInt64(rows[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    private string Logs() =>
        string.Join("\n", silos.Select(s => $"--- {s.Name} (exited: {s.HasExited}) ---\n{Tail(s.GetOutput())}"));

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
