using System.Collections.Concurrent;

using FreeBind.Hosting;
using FreeBind.Jobs;
using FreeBind.Placement;
using FreeBind.Spaces;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

using Orleans.Storage;
using Orleans.TestingHost;

namespace FreeBind.Tests;

/// <summary>
/// The <c>FreeBind:Placement:WhenNoGpuSilo</c> policies on a cluster whose only GPU silo stops
/// mid-job: <c>wait</c> holds the shards until a new GPU silo joins, and <c>fallback-cpu</c>
/// finishes them on the CPU silo with one warning.
/// </summary>
public sealed class PlacementPolicyTests
{
    private const int CopiesPerImage = 12;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg"];

    [Fact]
    public async Task WaitPolicy_HoldsShardsUntilGpuSiloJoins()
    {
        using var temp = new TempDirectory();
        var images = CopyCorpus(temp);
        await using var cluster = await StartClusterAsync(GpuPlacementOptions.Wait);
        var job = cluster.Client.GetGrain<IEmbeddingJobGrain>($"wait-{Guid.NewGuid():N}");
        await job.StartAsync(Request(temp));

        await WaitForAsync(job, s => s.ShardsDone >= 1, "a finished shard");
        await cluster.StopSiloAsync(cluster.SecondarySilos[0]);
        var waiting = await WaitForAsync(job, s => s.Waiting is not null || s.State != EmbeddingJobState.Running, "the waiting status");

        Assert.True(waiting.State == EmbeddingJobState.Running, $"job ended {waiting.State}: {waiting.FailureReason}");
        Assert.StartsWith(GpuPlacementGuard.WaitingMessage, waiting.Waiting);
        var doneWhileWaiting = waiting.ShardsDone;

        await cluster.StartAdditionalSiloAsync();
        var final = await WaitForAsync(job, s => s.State != EmbeddingJobState.Running, "the end of the job");

        Assert.True(final.State == EmbeddingJobState.Completed, $"job ended {final.State}: {final.FailureReason}");
        Assert.Null(final.Waiting);
        Assert.True(final.ShardsDone > doneWhileWaiting, "no shard finished after the new GPU silo joined");
        Assert.Equal(images, CountDistinctIds(temp));
        Assert.DoesNotContain(LogCapture.Lines($"{GpuPlacementOptions.Wait}/{cluster.Primary!.Name}"), line => line.Contains("started on silo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FallbackPolicy_RunsShardsOnCpuSilo()
    {
        using var temp = new TempDirectory();
        var images = CopyCorpus(temp);
        await using var cluster = await StartClusterAsync(GpuPlacementOptions.FallbackCpu);
        var job = cluster.Client.GetGrain<IEmbeddingJobGrain>($"fallback-{Guid.NewGuid():N}");
        await job.StartAsync(Request(temp));

        await WaitForAsync(job, s => s.ShardsDone >= 1, "a finished shard");
        await cluster.StopSiloAsync(cluster.SecondarySilos[0]);
        var final = await WaitForAsync(job, s => s.State != EmbeddingJobState.Running, "the end of the job");

        Assert.True(final.State == EmbeddingJobState.Completed, $"job ended {final.State}: {final.FailureReason}");
        Assert.Equal(images, CountDistinctIds(temp));
        var primaryLines = LogCapture.Lines($"{GpuPlacementOptions.FallbackCpu}/{cluster.Primary!.Name}");
        Assert.Contains(primaryLines, line => line.Contains("started on silo", StringComparison.Ordinal));
        Assert.Single(primaryLines, line => line.Contains("fallback-cpu", StringComparison.Ordinal));
    }

    private static async Task<TestCluster> StartClusterAsync(string policy)
    {
        var builder = new TestClusterBuilder(2);
        builder.Properties[$"{GpuPlacementOptions.SectionName}:WhenNoGpuSilo"] = policy;
        builder.Properties[$"{GpuPlacementOptions.SectionName}:GpuWaitTimeout"] = "00:03:00";
        builder.AddSiloBuilderConfigurator<PolicySiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        await WaitForGpuMetadataAsync(cluster);
        return cluster;
    }

    /// <summary>Waits until every silo sees the GPU silo, because a job started before that needs no GPU.</summary>
    private static async Task WaitForGpuMetadataAsync(TestCluster cluster)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!cluster.Silos.Cast<InProcessSiloHandle>()
            .All(s => s.SiloHost.Services.GetRequiredService<GpuSiloMonitor>().CountActiveGpuSilos() == 1))
        {
            // Polling with a deadline: silo metadata arrives without an event the test can await.
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    private static async Task<EmbeddingJobStatus> WaitForAsync(
        IEmbeddingJobGrain job, Func<EmbeddingJobStatus, bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        EmbeddingJobStatus status;
        while (!condition(status = await job.GetStatusAsync()))
        {
            Assert.False(deadline.IsCancellationRequested, $"no {what} within {Deadline.TotalMinutes} min: job {status.State}, {status.ShardsDone} shards done");

            // Polling with a deadline: the job has no event a test client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }

        return status;
    }

    private static int CopyCorpus(TempDirectory temp)
    {
        var folder = Directory.CreateDirectory(temp.Combine("corpus")).FullName;
        var sources = Directory.GetFiles(RepositoryPaths.SampleCorpus)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .ToList();
        foreach (var source in sources)
        {
            for (var copy = 0; copy < CopiesPerImage; copy++)
            {
                File.Copy(source, Path.Combine(folder, $"{Path.GetFileNameWithoutExtension(source)}-{copy:D2}{Path.GetExtension(source)}"));
            }
        }

        return sources.Count * CopiesPerImage;
    }

    private static EmbeddingJobRequest Request(TempDirectory temp)
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
            ShardSize = 4,
            MaxShardsInFlight = 1,
        };
    }

    private static long CountDistinctIds(TempDirectory temp) =>
        DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{temp.Combine("output", "embeddings", "resnet18", "image", "*.parquet")}')");

    /// <summary>Primary is a CPU silo; every other silo, including ones started later, is a GPU silo.</summary>
    private sealed class PolicySiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var name = siloBuilder.Configuration["Orleans:Name"] ?? "";
            var metadata = new Dictionary<string, string> { ["freebind.silo"] = name };
            if (name != "Primary")
            {
                metadata["gpu"] = "true";
            }

            // Orleans' memory storage keeps state in grains that die with the stopped silo; this
            // store lives in the test process, which every silo of the TestCluster shares.
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(FreeBindStorage.StateStorageName, ProcessGrainStorage.Instance);
            siloBuilder.AddFreeBind(siloBuilder.Configuration, metadata);
            // Each test uses another policy, so the policy keeps the two tests' silos apart.
            var policy = siloBuilder.Configuration[$"{GpuPlacementOptions.SectionName}:WhenNoGpuSilo"];
            siloBuilder.Services.AddSingleton<ILoggerProvider>(new LogCapture($"{policy}/{name}"));
            siloBuilder.Services.AddLogging(logging => logging
                .AddFilter<LogCapture>("FreeBind", LogLevel.Debug));
        }
    }

    /// <summary>Grain state in a dictionary of the test process, shared by all in-process silos.</summary>
    private sealed class ProcessGrainStorage : IGrainStorage
    {
        public static readonly ProcessGrainStorage Instance = new();

        private readonly ConcurrentDictionary<string, object?> states = new();

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (states.TryGetValue($"{stateName}/{grainId}", out var state))
            {
                grainState.State = (T)state!;
                grainState.RecordExists = true;
                grainState.ETag = "1";
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            states[$"{stateName}/{grainId}"] = grainState.State;
            grainState.RecordExists = true;
            grainState.ETag = "1";
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            states.TryRemove($"{stateName}/{grainId}", out _);
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
    }

    /// <summary>Keeps the FreeBind log lines of each silo, by silo name.</summary>
    private sealed class LogCapture(string silo) : ILoggerProvider, ILogger
    {
        private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> BySilo = new();

        public static IReadOnlyList<string> Lines(string silo) =>
            BySilo.TryGetValue(silo, out var lines) ? [.. lines] : [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            BySilo.GetOrAdd(silo, _ => new ConcurrentQueue<string>()).Enqueue(formatter(state, exception));

        public void Dispose()
        {
        }
    }
}
