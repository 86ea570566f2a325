using FreeBind.Jobs;
using FreeBind.Pipeline;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>The embedding job writing to Azure Blob Storage, served by a real Azurite.</summary>
public sealed class BlobOutputTests(GpuClusterFixture fixture) : IClassFixture<GpuClusterFixture>, IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public Task DisposeAsync() => _azurite.DisposeAsync();

    [Fact]
    public async Task Job_WritesParquetToAzurite()
    {
        var location = $"{_azurite.BlobEndpoint}/jobs/run-{Guid.NewGuid():N}";
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, location, shardSize: 5);

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, request);

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        var store = BlobStoreFactory.Open(location);
        var paths = new List<string>();
        await foreach (var path in store.ListAsync("", default))
        {
            paths.Add(path);
        }

        Assert.Contains(OutputLayout.JobManifest, paths);
        var imageFiles = paths.Where(p => p.StartsWith("embeddings/resnet18/image/", StringComparison.Ordinal)).ToList();
        Assert.Equal(status.ShardsDone, imageFiles.Count);

        // Copy the blobs down and read them with DuckDB, a reader independent of ours.
        using var local = new TempDirectory();
        foreach (var path in imageFiles)
        {
            await using var source = await store.OpenReadAsync(path, default);
            await using var target = File.Create(local.Combine(Path.GetFileName(path)));
            await source.CopyToAsync(target);
        }

        var images = Directory.EnumerateFiles(RepositoryPaths.SampleCorpus).Count(f => !f.EndsWith(".txt", StringComparison.Ordinal)
            && !f.EndsWith(".md", StringComparison.Ordinal) && !f.EndsWith(".wav", StringComparison.Ordinal));
        var glob = local.Combine("*.parquet");
        Assert.Equal(images, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{glob}')"));
        Assert.Equal(512, DuckDb.Scalar<long>($"SELECT min(len(embedding)) FROM read_parquet('{glob}')"));
        Assert.DoesNotContain(paths, p => p.Contains(".tmp", StringComparison.Ordinal));
    }
}
