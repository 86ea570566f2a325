using System.Collections.Concurrent;

using FreeBind.Hosting;
using FreeBind.Jobs;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.DependencyInjection;

using Orleans.Storage;
using Orleans.TestingHost;

namespace FreeBind.Tests;

/// <summary>
/// A job whose grain storage rejects every save after the one that starts it (as when Azure Table
/// Storage goes down mid-job) still embeds every shard and completes.
/// </summary>
public sealed class GrainStorageOutageTests : IAsyncLifetime
{
    private TestCluster cluster = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await cluster.StopAllSilosAsync();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task FailingStateSaves_JobStillCompletes()
    {
        using var output = new TempDirectory();
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, shardSize: 3);

        var status = await JobRunner.RunAsync(cluster.Client, request);

        Assert.True(status.State == EmbeddingJobState.Completed, $"job ended {status.State}: {status.FailureReason}");
        Assert.True(status.ShardsDone >= 2, $"expected several shards, got {status.ShardsDone}");
        Assert.True(FailingSaveStorage.RejectedSaves > 0, "the storage rejected no save, so the test checked nothing");
        var glob = output.Combine("embeddings", "resnet18", "image", "*.parquet");
        var images = DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{glob}')");
        Assert.True(images > 0);
        Assert.Equal(images, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{glob}')"));
        Assert.True(File.Exists(output.Combine("manifest.json")));
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(FreeBindStorage.StateStorageName, new FailingSaveStorage());
            siloBuilder.AddFreeBind(siloBuilder.Configuration, new Dictionary<string, string> { ["freebind.silo"] = "Primary" });
        }
    }

    /// <summary>Keeps state in memory, and rejects every save of an embedding job after its first.</summary>
    private sealed class FailingSaveStorage : IGrainStorage
    {
        private static int rejectedSaves;

        private readonly ConcurrentDictionary<string, object?> states = new();
        private readonly ConcurrentDictionary<string, int> saves = new();

        public static int RejectedSaves => Volatile.Read(ref rejectedSaves);

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            if (states.TryGetValue($"{stateName}/{grainId}", out var state))
            {
                grainState.State = (T)state!;
                grainState.RecordExists = true;
            }

            return Task.CompletedTask;
        }

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var key = $"{stateName}/{grainId}";
            if (grainId.ToString().StartsWith("embeddingjob/", StringComparison.Ordinal) && saves.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref rejectedSaves);
                throw new IOException("grain storage unreachable (test)");
            }

            states[key] = grainState.State;
            grainState.RecordExists = true;
            return Task.CompletedTask;
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            states.TryRemove($"{stateName}/{grainId}", out _);
            return Task.CompletedTask;
        }
    }
}
