using System.Globalization;

using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Jobs;
using FreeBind.Media;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>
/// The fuse job on a two-silo cluster: a combination bond from a 3-d audio-text expert into a
/// 4-d unified space, checked row by row against the plain C# plan evaluator.
/// </summary>
public sealed class FuseJobTests(GpuClusterFixture fixture) : IClassFixture<GpuClusterFixture>
{
    private const string BondJson = """
        {
          "name": "bonded",
          "base": "u",
          "spaces": {
            "u": { "dimension": 4, "modalities": ["image", "text", "audio"] },
            "e": { "dimension": 3, "modalities": ["audio", "text"] }
          },
          "bonds": [
            { "name": "c-e", "kind": "combination", "experts": ["e"],
              "projectors": { "e": "projectors/e" }, "factors": { "audio": 0.6, "text": 0.3 } }
          ],
          "profiles": { "p": { "c-e": { "text": 0.9 } } }
        }
        """;

    [Fact]
    public async Task FuseJob_MatchesReferenceAndReportsBadRows()
    {
        using var work = new TempDirectory();
        using var output = new TempDirectory();
        var random = new Random(11);
        SaveProjectors(work, random);
        File.WriteAllText(work.Combine("bonds.json"), BondJson);

        // Two shards of 5 ids. Expert audio lacks id "s1-3"; expert text of "s0-2" is NaN.
        var embeddings = work.Combine("embeddings-root");
        var store = new LocalBlobStore(embeddings);
        var vectors = new Dictionary<(string Space, string Modality, string Id), float[]>();
        for (var shard = 0; shard < 2; shard++)
        {
            var ids = Enumerable.Range(0, 5).Select(i => $"s{shard}-{i}").ToList();
            foreach (var modality in new[] { "image", "text", "audio" })
            {
                await WriteAsync(store, "u", modality, 4, shard, ids, random, vectors);
            }

            await WriteAsync(store, "e", "audio", 3, shard, ids.Where(id => id != "s1-3").ToList(), random, vectors);
            await WriteAsync(store, "e", "text", 3, shard, ids, random, vectors, nanId: "s0-2");
        }

        var request = Request(work, embeddings, output.Path);
        var status = await RunAsync(request);

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        Assert.Equal(2, status.Errors);
        var file = BondFile.Parse(BondJson, work.Path, ProjectorSetFiles.Load);
        foreach (var modality in new[] { Modality.Image, Modality.Text, Modality.Audio })
        {
            var plan = BondCompiler.Compile(file, modality, "p", null);
            var rows = DuckDb.Query(
                $"SELECT id, embedding, profile, factors, space FROM read_parquet('{output.Combine("embeddings", "bonded.p", modality.ToName(), "*.parquet")}')");
            var expectedCount = modality == Modality.Image ? 10 : 9;
            Assert.Equal(expectedCount, rows.Count);
            foreach (var row in rows)
            {
                var id = (string)row[0]!;
                var inputs = plan.Inputs.ToDictionary(space => space, space => vectors[(space, modality.ToName(), id)]);
                var expected = FusionPlanReference.Apply(plan, inputs, Project);
                var actual = ((System.Collections.IEnumerable)row[1]!).Cast<object>().Select(v => Convert.ToSingle(v, CultureInfo.InvariantCulture)).ToArray();
                var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
                Assert.True(difference <= 1e-5, $"{modality.ToName()} '{id}': max abs difference {difference:E2}");
                Assert.Equal("p", row[2]);
                Assert.Equal("bonded", row[4]);
            }
        }

        var textFactors = (string)DuckDb.Query($"SELECT DISTINCT factors FROM read_parquet('{output.Combine("embeddings", "bonded.p", "text", "*.parquet")}')")[0][0]!;
        Assert.Contains("0.9", textFactors, StringComparison.Ordinal);
        var errors = DuckDb.Query($"SELECT id FROM read_parquet('{output.Combine("fuse", "bonded.p", "errors", "*.parquet")}') ORDER BY id");
        Assert.Equal(["s0-2", "s1-3"], errors.Select(r => (string)r[0]!));

        // A rerun finds every shard done with the same fingerprint.
        var again = await RunAsync(request);
        Assert.Equal(2, again.ShardsSkipped);
        Assert.Equal(again.EntriesDone, again.EntriesSkipped);
    }

    [Fact]
    public async Task FuseJob_ReadsAndWritesAzurite()
    {
        var azurite = new AzuriteFixture();
        await azurite.InitializeAsync();
        try
        {
            await FuseThroughAzuriteAsync(azurite);
        }
        finally
        {
            await azurite.DisposeAsync();
        }
    }

    private async Task FuseThroughAzuriteAsync(AzuriteFixture azurite)
    {
        using var work = new TempDirectory();
        var random = new Random(5);
        var projectors = work.Combine("projectors", "e");
        Directory.CreateDirectory(projectors);
        ProjectorCheckpoint.Save(Path.Combine(projectors, "mix"), RandomProjector(random, 3, 8, 4));

        var embeddings = $"{azurite.BlobEndpoint}/fuse/in-{Guid.NewGuid():N}";
        var output = $"{azurite.BlobEndpoint}/fuse/out-{Guid.NewGuid():N}";
        var source = BlobStoreFactory.Open(embeddings);
        var vectors = new Dictionary<(string Space, string Modality, string Id), float[]>();
        var ids = Enumerable.Range(0, 6).Select(i => $"id-{i}").ToList();
        foreach (var modality in new[] { "image", "text", "audio" })
        {
            await WriteAsync(source, "u", modality, 4, 0, ids, random, vectors);
        }

        await WriteAsync(source, "e", "audio", 3, 0, ids, random, vectors);
        await WriteAsync(source, "e", "text", 3, 0, ids, random, vectors);

        var status = await RunAsync(new FuseJobRequest
        {
            BondsJson = BondJson,
            BondsBaseDirectory = work.Path,
            Embeddings = embeddings,
            Output = output,
            Profile = "p",
        });

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        var target = BlobStoreFactory.Open(output);
        using var local = new TempDirectory();
        foreach (var modality in new[] { "image", "text", "audio" })
        {
            var path = $"embeddings/bonded.p/{modality}/shard-000000.parquet";
            await using (var blob = await target.OpenReadAsync(path, default))
            await using (var file = File.Create(local.Combine($"{modality}.parquet")))
            {
                await blob.CopyToAsync(file);
            }

            Assert.Equal(6, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{local.Combine($"{modality}.parquet")}')"));
            Assert.Equal(4, DuckDb.Scalar<long>($"SELECT min(len(embedding)) FROM read_parquet('{local.Combine($"{modality}.parquet")}')"));
        }

        Assert.True(await target.ExistsAsync("fuse/bonded.p/manifest.json", default));
    }

    [Fact]
    public async Task UnwritableOutput_FailureNamesReason()
    {
        using var work = new TempDirectory();
        using var output = new TempDirectory();
        var random = new Random(12);
        SaveProjectors(work, random);

        // Three shards of two ids, and a file where the output's fuse folder goes.
        var embeddings = work.Combine("embeddings-root");
        var store = new LocalBlobStore(embeddings);
        var vectors = new Dictionary<(string Space, string Modality, string Id), float[]>();
        for (var shard = 0; shard < 3; shard++)
        {
            var ids = new List<string> { $"s{shard}-0", $"s{shard}-1" };
            foreach (var modality in new[] { "image", "text", "audio" })
            {
                await WriteAsync(store, "u", modality, 4, shard, ids, random, vectors);
            }

            await WriteAsync(store, "e", "audio", 3, shard, ids, random, vectors);
            await WriteAsync(store, "e", "text", 3, shard, ids, random, vectors);
        }

        File.WriteAllText(output.Combine("fuse"), "a file where the fuse folder goes");

        var status = await RunAsync(Request(work, embeddings, output.Path));

        Assert.Equal(EmbeddingJobState.Failed, status.State);
        Assert.Matches(@"^3 shard\(s\) failed 3 times \(first: 0, \w*(IOException|NotFoundException): ", status.FailureReason);
        Assert.Contains(output.Combine("fuse"), status.FailureReason, StringComparison.Ordinal);
        Assert.Contains("run again to resume", status.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', status.FailureReason!);
    }

    /// <summary>Saves the expert's two random projectors (mix and A) under work/projectors/e.</summary>
    private static void SaveProjectors(TempDirectory work, Random random)
    {
        var projectors = work.Combine("projectors", "e");
        Directory.CreateDirectory(projectors);
        ProjectorCheckpoint.Save(Path.Combine(projectors, "mix"), RandomProjector(random, 3, 8, 4));
        ProjectorCheckpoint.Save(Path.Combine(projectors, "A"), RandomProjector(random, 3, 8, 4));
    }

    private static FuseJobRequest Request(TempDirectory work, string embeddings, string output) => new()
    {
        BondsJson = BondJson,
        BondsBaseDirectory = work.Path,
        Embeddings = embeddings,
        Output = output,
        Profile = "p",
    };

    private async Task<EmbeddingJobStatus> RunAsync(FuseJobRequest request)
    {
        var job = fixture.Cluster.Client.GetGrain<IFuseJobGrain>($"fuse-test-{Guid.NewGuid():N}");
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

    private static float[] Project(ProjectorWeights weights, float[] input)
    {
        var output = new float[weights.Architecture.OutputDimension];
        ProjectorMath.Forward(weights, input, output);
        return output;
    }

    private static async Task WriteAsync(
        IBlobStore store, string space, string modality, int dimension, int shard, List<string> ids, Random random,
        Dictionary<(string, string, string), float[]> vectors, string? nanId = null)
    {
        var rows = new List<EmbeddingRow>();
        foreach (var id in ids)
        {
            var vector = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            if (id == nanId)
            {
                vector[0] = float.NaN;
            }

            vectors[(space, modality, id)] = vector;
            rows.Add(new EmbeddingRow(id, modality, space, "test-model", vector, $"{id}.src"));
        }

        await store.WriteAsync(
            $"embeddings/{space}/{modality}/shard-{shard:D6}.parquet",
            (stream, token) => EmbeddingParquetWriter.WriteAsync(
                stream, new EmbeddingFileMetadata(space, modality, "test-model", dimension), rows, token),
            default);
    }

    private static ProjectorWeights RandomProjector(Random random, int input, int hidden, int output)
    {
        float[] Values(int count, double scale, double offset = 0) =>
            Enumerable.Range(0, count).Select(_ => (float)(offset + (random.NextDouble() * 2 - 1) * scale)).ToArray();

        return new ProjectorWeights
        {
            Architecture = new ProjectorArchitecture(input, hidden, output),
            Weight1 = Values(hidden * input, 0.8),
            Bias1 = Values(hidden, 0.1),
            Norm1Scale = Values(hidden, 0.2, 1),
            Norm1Shift = Values(hidden, 0.1),
            Norm1RunningMean = Values(hidden, 0.1),
            Norm1RunningVariance = Values(hidden, 0.3, 1),
            Weight2 = Values(output * hidden, 0.5),
            Bias2 = Values(output, 0.1),
            Norm2Scale = Values(output, 0.2, 1),
            Norm2Shift = Values(output, 0.1),
            Norm2RunningMean = Values(output, 0.1),
            Norm2RunningVariance = Values(output, 0.3, 1),
        };
    }
}
