using FreeBind.Jobs;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;
using FreeBind.Training.Pseudo;

namespace FreeBind.Tests;

/// <summary>
/// The pseudo-dataset job on a two-silo cluster with three bank partition grains, compared row by
/// row with the single-process builder.
/// </summary>
public sealed class PseudoDatasetJobTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    private const string BondJson = """
        {
          "name": "bonded", "base": "u",
          "spaces": {
            "u": { "dimension": 4, "modalities": ["image", "text", "audio"] },
            "e": { "dimension": 3, "modalities": ["audio", "text"] }
          },
          "bonds": [ { "name": "c-e", "kind": "combination", "experts": ["e"], "projectors": { "e": "p/e" } } ]
        }
        """;

    [Fact]
    public async Task PseudoJob_MatchesSingleProcessBuild()
    {
        using var work = new TempDirectory();
        var embeddings = work.Combine("embeddings-root");
        var store = new LocalBlobStore(embeddings);
        var random = new Random(8);
        foreach (var (modality, perShard) in new[] { ("image", 7), ("text", 10), ("audio", 4) })
        {
            for (var shard = 0; shard < 2; shard++)
            {
                var ids = Enumerable.Range(0, perShard).Select(i => $"{modality[0]}{shard}-{i}").ToList();
                await WriteAsync(store, "u", modality, 4, shard, ids, random);
                if (modality != "image")
                {
                    await WriteAsync(store, "e", modality, 3, shard, ids, random);
                }
            }
        }

        var request = new PseudoDatasetJobRequest
        {
            BondsJson = BondJson,
            Bond = "c-e",
            Embeddings = embeddings,
            Output = work.Combine("cluster"),
            Modes = ["mix", "V", "AT"],
            K = 4,
            Noise = 0.02f,
            Seed = 3,
            RowsPerPartition = 7,
            QueryBatchSize = 5,
        };
        var status = await RunAsync(request);

        Assert.True(status.State == EmbeddingJobState.Completed, status.FailureReason);
        var (bond, modes, options) = PseudoDatasetRequests.Resolve(request);
        var local = new LocalBlobStore(work.Combine("local"));
        var builder = new PseudoDatasetBuilder(store, local, new LocalMemoryBankSearcher(store));
        var manifests = await builder.BuildAsync(bond, modes, options with { RowsPerPartition = 1000 }, null, default);
        Assert.Equal(manifests.Sum(m => m.Rows), status.Embeddings);
        foreach (var mode in new[] { "mix", "V", "AT" })
        {
            var expected = await ReadAsync(local, $"pseudo/c-e/{mode}/");
            var actual = await ReadAsync(new LocalBlobStore(request.Output), $"pseudo/c-e/{mode}/");
            Assert.Equal(expected.Select(r => r.Id), actual.Select(r => r.Id));
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Source, actual[i].Source);
                Assert.Equal(expected[i].Target, actual[i].Target);
            }
        }

        // 20 bank rows in partitions of 7: three partitions, and the V dataset has every image query.
        var count = DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{work.Combine("cluster", "pseudo", "c-e", "V", "*.parquet")}')");
        Assert.Equal(14, count);
    }

    [Fact]
    public async Task PseudoJob_UnknownBondRejectedAtStart()
    {
        var job = fixture.Cluster.Client.GetGrain<IPseudoDatasetJobGrain>($"pseudo-test-{Guid.NewGuid():N}");
        var request = new PseudoDatasetJobRequest
        {
            BondsJson = BondJson, Bond = "c-missing", Embeddings = "/nowhere", Output = "/nowhere", Modes = ["mix"],
        };

        var exception = await Assert.ThrowsAsync<JobConfigurationException>(() => job.StartAsync(request));

        Assert.Contains("bond 'c-missing' is not declared", exception.Message, StringComparison.Ordinal);
    }

    private async Task<EmbeddingJobStatus> RunAsync(PseudoDatasetJobRequest request)
    {
        var job = fixture.Cluster.Client.GetGrain<IPseudoDatasetJobGrain>($"pseudo-test-{Guid.NewGuid():N}");
        await job.StartAsync(request);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = await job.GetStatusAsync();
            if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed)
            {
                return status;
            }

            // Polling with a deadline: the job has no completion event a test client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private static async Task<List<(string Id, float[] Source, float[] Target)>> ReadAsync(IBlobStore store, string folder)
    {
        var rows = new List<(string, float[], float[])>();
        var dataset = await PseudoDatasetReader.OpenAsync(store, folder, default);
        await foreach (var batch in dataset.ReadBatchesAsync(64, default))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                rows.Add((batch.QueryIds[i], batch.SourceRow(i).ToArray(), batch.TargetRow(i).ToArray()));
            }
        }

        return rows;
    }

    private static async Task WriteAsync(IBlobStore store, string space, string modality, int dimension, int shard, List<string> ids, Random random)
    {
        var rows = ids.Select(id => new EmbeddingRow(
            id, modality, space, "m", Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray(), id)).ToList();
        await store.WriteAsync(
            $"embeddings/{space}/{modality}/shard-{shard:D6}.parquet",
            (stream, token) => EmbeddingParquetWriter.WriteAsync(stream, new EmbeddingFileMetadata(space, modality, "m", dimension), rows, token),
            default);
    }
}
