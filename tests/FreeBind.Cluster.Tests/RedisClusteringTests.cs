using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

using FreeBind.Jobs;
using FreeBind.Spaces;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Orleans.Configuration;

using StackExchange.Redis;

using Xunit.Abstractions;

namespace FreeBind.Tests;

/// <summary>
/// Two <c>FreeBind.Silo</c> processes and a client clustered through a <c>redis-server</c> that
/// the test starts on a loopback port, with only the standard <c>Orleans:Clustering</c> keys.
/// </summary>
public sealed class RedisClusteringTests(ITestOutputHelper testOutput) : IAsyncLifetime
{
    private const int SiloCount = 2;
    private static readonly TimeSpan JoinTimeout = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(4);
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    private readonly TempDirectory temp = new();
    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = $"redis-{Guid.NewGuid():N}";
    private RedisServer? redis;
    private IHost? clientHost;

    private IClusterClient Client => clientHost!.Services.GetRequiredService<IClusterClient>();

    public async Task InitializeAsync()
    {
        using var start = new CancellationTokenSource(JoinTimeout);
        redis = await RedisServer.StartAsync(start.Token);

        var environment = new Dictionary<string, string>
        {
            ["Orleans__ClusterId"] = clusterId,
            ["Orleans__ServiceId"] = clusterId,
            ["Orleans__Clustering__ProviderType"] = "Redis",
            ["Orleans__Clustering__ConnectionString"] = redis.ConnectionString,
            ["Orleans__Endpoints__AdvertisedIPAddress"] = "127.0.0.1",
            ["FreeBind__Silo__Gpus"] = "",
            ["FreeBind__Encoders__IntraOpThreads"] = "1",
        };
        var ports = ReserveFreePorts(SiloCount * 2);
        for (var i = 0; i < SiloCount; i++)
        {
            silos.Add(SiloProcess.Start($"silo{i}", ports[2 * i], ports[(2 * i) + 1], environment));
        }

        var started = Stopwatch.StartNew();
        clientHost = await StartClientAsync(redis.ConnectionString);
        await WaitForActiveSilosAsync(SiloCount);
        testOutput.WriteLine($"{SiloCount} silos active through Redis after {started.Elapsed.TotalSeconds:F1} s");
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

        if (redis is not null)
        {
            await redis.DisposeAsync();
        }

        temp.Dispose();
    }

    [Fact]
    public async Task Redis_clusters_silos_and_runs_job()
    {
        var images = Directory.GetFiles(RepositoryPaths.SampleCorpus)
            .Count(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()));
        var job = Client.GetGrain<IEmbeddingJobGrain>($"redis-{Guid.NewGuid():N}");
        await job.StartAsync(Request()).WaitAsync(JoinTimeout);

        var status = await WaitForEndAsync(job);

        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}\n{Logs()}");
        var glob = Path.Combine(temp.Combine("output"), "embeddings", "resnet18", "image", "*.parquet");
        Assert.Equal((long)images, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{glob}')"));
        Assert.All(silos, silo => Assert.Contains("clustering Redis", silo.GetOutput(), StringComparison.Ordinal));

        // The membership rows live in this Redis server, under a key that names the cluster id.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis!.ConnectionString);
        var keys = connection.GetServer(redis.ConnectionString).Keys(pattern: $"*{clusterId}*").Select(k => k.ToString()).ToList();
        Assert.NotEmpty(keys);
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
            Input = RepositoryPaths.SampleCorpus,
            Output = temp.Combine("output"),
            Spaces = ["resnet18"],
            Modalities = ["image"],
            ShardSize = 2,
        };
    }

    private async Task<IHost> StartClientAsync(string redisConnectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Orleans:ClusterId"] = clusterId,
            ["Orleans:ServiceId"] = clusterId,
            ["Orleans:Clustering:ProviderType"] = "Redis",
            ["Orleans:Clustering:ConnectionString"] = redisConnectionString,
        });
        var deadline = Stopwatch.StartNew();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(60));

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
            throw new InvalidOperationException($"The client did not connect through Redis: {exception.Message}\n{Logs()}", exception);
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

    private async Task<EmbeddingJobStatus> WaitForEndAsync(IEmbeddingJobGrain job)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < JobTimeout)
        {
            var status = await job.GetStatusAsync();
            if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed)
            {
                return status;
            }

            // Polling with a deadline: the job has no completion event a client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }

        throw new TimeoutException($"the job did not end within {JobTimeout.TotalSeconds} s.\n{Logs()}");
    }

    private string Logs() =>
        $"--- redis ---\n{redis?.GetOutput()}\n" +
        string.Join("\n", silos.Select(s => $"--- {s.Name} (exited: {s.HasExited}) ---\n{Tail(s.GetOutput())}"));

    private static string Tail(string text) => text.Length > 4000 ? text[^4000..] : text;
}
