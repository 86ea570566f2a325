using System.Globalization;

using DuckDB.NET.Data;

using FreeBind.Media;
using FreeBind.Storage;
using FreeBind.Training.Pseudo;

namespace FreeBind.Tests.Training.Pseudo;

/// <summary>
/// Builds pseudo datasets from embedding Parquet written here: a combination bond from a 3-d
/// audio-text expert e into a 4-d unified space u, so image queries get a pseudo source.
/// </summary>
public sealed class PseudoDatasetBuilderTests : IDisposable
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

    private readonly string root = Directory.CreateTempSubdirectory("freebind-pseudo-").FullName;
    private readonly Dictionary<(string Space, string Modality, string Id), float[]> vectors = [];

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task Build_PairsMatchDirectComputation()
    {
        var store = await WriteEmbeddingsAsync();
        var bond = PseudoBondReader.Read(BondJson, "c-e");
        var options = new PseudoDatasetOptions { K = 3, Temperature = 0.1f, RowsPerPart = 4 };

        var manifests = await BuildAsync(store, "out", bond, ["V", "T", "AT", "mix"], options);

        Assert.Equal([6L, 8L, 13L, 15L], manifests.Select(m => m.Rows));
        var image = await ReadAllAsync(store, "out/pseudo/c-e/V/");
        Assert.Equal(6, image.Count);
        foreach (var (id, source, target) in image)
        {
            // Brute force: top 3 text items by cosine in u, softmax(sim / 0.1), mean of their e vectors.
            var query = vectors[("u", "image", id)];
            var top = Enumerable.Range(0, 8).Select(i => $"t{i}")
                .Select(t => (Id: t, Score: Cosine(query, vectors[("u", "text", t)])))
                .OrderByDescending(n => n.Score).ThenBy(n => n.Id, StringComparer.Ordinal).Take(3).ToList();
            var weights = top.Select(n => Math.Exp((n.Score - top[0].Score) / 0.1)).ToList();
            var expected = new double[3];
            for (var j = 0; j < 3; j++)
            {
                for (var d = 0; d < 3; d++)
                {
                    expected[d] += weights[j] / weights.Sum() * vectors[("e", "text", top[j].Id)][d];
                }
            }

            AssertClose(Normalize(expected), source, $"image '{id}' source");
            AssertClose(Normalize(vectors[("u", "image", id)].Select(v => (double)v).ToArray()), target, $"image '{id}' target");
        }

        var text = await ReadAllAsync(store, "out/pseudo/c-e/T/");
        foreach (var (id, source, target) in text)
        {
            AssertClose(Normalize(vectors[("e", "text", id)].Select(v => (double)v).ToArray()), source, $"text '{id}' source");
            AssertClose(Normalize(vectors[("u", "text", id)].Select(v => (double)v).ToArray()), target, $"text '{id}' target");
        }
    }

    [Fact]
    public async Task Build_SameForOneTwoThreePartitions()
    {
        var store = await WriteEmbeddingsAsync();
        var bond = PseudoBondReader.Read(BondJson, "c-e");

        var outputs = new List<List<(string, float[], float[])>>();
        foreach (var rowsPerPartition in new[] { 8, 4, 3 })
        {
            var options = new PseudoDatasetOptions { K = 3, RowsPerPartition = rowsPerPartition, Noise = 0.05f, Seed = 4 };
            await BuildAsync(store, $"out{rowsPerPartition}", bond, ["V"], options);
            outputs.Add(await ReadAllAsync(store, $"out{rowsPerPartition}/pseudo/c-e/V/"));
        }

        foreach (var other in outputs.Skip(1))
        {
            Assert.Equal(outputs[0].Select(r => r.Item1), other.Select(r => r.Item1));
            for (var i = 0; i < other.Count; i++)
            {
                Assert.Equal(outputs[0][i].Item2, other[i].Item2);
                Assert.Equal(outputs[0][i].Item3, other[i].Item3);
            }
        }
    }

    [Fact]
    public async Task Build_MixBalancedAndReadableByDuckDb()
    {
        var store = await WriteEmbeddingsAsync();
        var bond = PseudoBondReader.Read(BondJson, "c-e");

        await BuildAsync(store, "out", bond, ["mix"], new PseudoDatasetOptions { RowsPerPart = 7, Seed = 1 });

        var glob = Path.Combine(root, "out", "pseudo", "c-e", "mix", "*.parquet");
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText =
            $"SELECT query_modality, count(*), min(len(source_embedding)), max(len(target_embedding)), min(data_mode), " +
            $"sum(CASE WHEN pseudo_side = 'source' THEN 1 ELSE 0 END) FROM read_parquet('{glob}') GROUP BY query_modality ORDER BY query_modality";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(string.Join(" ", Enumerable.Range(0, 6).Select(i => Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture))));
        }

        // 6 image, 8 text and 5 audio queries: 5 of each; only image rows have a pseudo source.
        Assert.Equal(["audio 5 3 4 mix 0", "image 5 3 4 mix 5", "text 5 3 4 mix 0"], rows);
        Assert.Equal(3, Directory.GetFiles(Path.GetDirectoryName(glob)!, "*.parquet").Length);
    }

    [Fact]
    public async Task Reader_RoundTripsBatches()
    {
        var store = await WriteEmbeddingsAsync();
        var bond = PseudoBondReader.Read(BondJson, "c-e");
        await BuildAsync(store, "out", bond, ["AT"], new PseudoDatasetOptions { RowsPerPart = 5 });

        var dataset = await PseudoDatasetReader.OpenAsync(store, "out/pseudo/c-e/AT", default);
        var batches = new List<PseudoPairBatch>();
        await foreach (var batch in dataset.ReadBatchesAsync(2, default))
        {
            batches.Add(batch);
        }

        Assert.Equal(13, dataset.Manifest.Rows);
        Assert.Equal("e", dataset.Manifest.SourceSpace);
        Assert.Equal(3, dataset.Manifest.Parts.Count);
        Assert.Equal(13, batches.Sum(b => b.Count));
        Assert.All(batches, b => Assert.True(b.Count <= 2));
        var first = batches[0];
        Assert.Equal("t0", first.QueryIds[0]);
        AssertClose(Normalize(vectors[("e", "text", "t0")].Select(v => (double)v).ToArray()), first.SourceRow(0).ToArray(), "t0 source");
        Assert.Equal(["text", "audio"], batches.SelectMany(b => b.QueryModalities).Distinct());
    }

    [Fact]
    public async Task Build_RejectsBadInputWithClearMessages()
    {
        var store = await WriteEmbeddingsAsync();
        var bond = PseudoBondReader.Read(BondJson, "c-e");

        var unknown = Assert.Throws<PseudoDatasetException>(() => PseudoBondReader.Read(BondJson, "c-x"));
        Assert.Contains("bond 'c-x' is not declared", unknown.Message, StringComparison.Ordinal);

        var wrongDimension = PseudoBondReader.Read(BondJson.Replace("\"dimension\": 4", "\"dimension\": 5", StringComparison.Ordinal), "c-e");
        var dimension = await Assert.ThrowsAsync<PseudoDatasetException>(() => BuildAsync(store, "bad", wrongDimension, ["T"], new()));
        Assert.Contains("has dimension 4, but the bond file declares space 'u' with dimension 5", dimension.Message, StringComparison.Ordinal);

        var bank = await Assert.ThrowsAsync<PseudoDatasetException>(
            () => BuildAsync(store, "bad", bond, ["V"], new PseudoDatasetOptions { BankModality = Modality.Image }));
        Assert.Contains("bank modality 'image' is not embedded by space", bank.Message, StringComparison.Ordinal);

        Directory.Delete(Path.Combine(root, "embeddings", "e", "audio"), recursive: true);
        var missing = await Assert.ThrowsAsync<PseudoDatasetException>(() => BuildAsync(store, "bad", bond, ["A"], new()));
        Assert.Contains("data mode 'A' needs audio queries", missing.Message, StringComparison.Ordinal);
        Assert.Contains("embeddings/e/audio/", missing.Message, StringComparison.Ordinal);

        Directory.Delete(Path.Combine(root, "embeddings", "e", "text"), recursive: true);
        var counterpart = await Assert.ThrowsAsync<PseudoDatasetException>(() => BuildAsync(store, "bad", bond, ["V"], new()));
        Assert.Contains("has no counterpart 'embeddings/e/text/shard-000000.parquet'", counterpart.Message, StringComparison.Ordinal);

        Directory.Delete(Path.Combine(root, "embeddings", "u", "text"), recursive: true);
        var empty = await Assert.ThrowsAsync<PseudoDatasetException>(() => BuildAsync(store, "bad", bond, ["V"], new()));
        Assert.Contains("the memory bank is empty", empty.Message, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<PseudoDatasetManifest>> BuildAsync(
        IBlobStore store, string output, PseudoBond bond, string[] modes, PseudoDatasetOptions options)
    {
        var builder = new PseudoDatasetBuilder(store, new PrefixStore(store, output), new LocalMemoryBankSearcher(store));
        return await builder.BuildAsync(bond, modes.Select(PseudoDataMode.Parse).ToList(), options, null, default);
    }

    private static async Task<List<(string Id, float[] Source, float[] Target)>> ReadAllAsync(IBlobStore store, string folder)
    {
        var rows = new List<(string, float[], float[])>();
        var dataset = await PseudoDatasetReader.OpenAsync(store, folder, default);
        await foreach (var batch in dataset.ReadBatchesAsync(1000, default))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                rows.Add((batch.QueryIds[i], batch.SourceRow(i).ToArray(), batch.TargetRow(i).ToArray()));
            }
        }

        return rows;
    }

    /// <summary>Two shards: image i0-i5 (u only), text t0-t7 and audio a0-a4 in both spaces.</summary>
    private async Task<IBlobStore> WriteEmbeddingsAsync()
    {
        var store = new LocalBlobStore(root);
        var random = new Random(21);
        var items = new Dictionary<string, string[][]>
        {
            ["image"] = [["i0", "i1", "i2"], ["i3", "i4", "i5"]],
            ["text"] = [["t0", "t1", "t2", "t3", "t4"], ["t5", "t6", "t7"]],
            ["audio"] = [["a0", "a1"], ["a2", "a3", "a4"]],
        };
        foreach (var (modality, shards) in items)
        {
            for (var shard = 0; shard < shards.Length; shard++)
            {
                await WriteAsync(store, "u", modality, 4, shard, shards[shard], random);
                if (modality != "image")
                {
                    await WriteAsync(store, "e", modality, 3, shard, shards[shard], random);
                }
            }
        }

        return store;
    }

    private async Task WriteAsync(IBlobStore store, string space, string modality, int dimension, int shard, string[] ids, Random random)
    {
        var rows = new List<EmbeddingRow>();
        foreach (var id in ids)
        {
            var vector = Enumerable.Range(0, dimension).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            vectors[(space, modality, id)] = vector;
            rows.Add(new EmbeddingRow(id, modality, space, "m", vector, id));
        }

        await store.WriteAsync(
            $"embeddings/{space}/{modality}/shard-{shard:D6}.parquet",
            (stream, token) => EmbeddingParquetWriter.WriteAsync(stream, new EmbeddingFileMetadata(space, modality, "m", dimension), rows, token),
            default);
    }

    private static double Cosine(float[] a, float[] b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }

        return dot / Math.Sqrt(na) / Math.Sqrt(nb);
    }

    private static double[] Normalize(double[] v)
    {
        var norm = Math.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static void AssertClose(double[] expected, float[] actual, string label)
    {
        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(difference < 1e-5, $"{label}: max abs difference {difference:E2}");
    }

    /// <summary>Writes under a prefix of another store, so several outputs share one temp folder.</summary>
    private sealed class PrefixStore(IBlobStore inner, string prefix) : IBlobStore
    {
        public string DisplayRoot => $"{inner.DisplayRoot}/{prefix}";

        public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) => inner.ExistsAsync($"{prefix}/{path}", cancellationToken);

        public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) => inner.OpenReadAsync($"{prefix}/{path}", cancellationToken);

        public Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken) =>
            inner.ReadRangeAsync($"{prefix}/{path}", offset, length, cancellationToken);

        public Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken) =>
            inner.WriteAsync($"{prefix}/{path}", write, cancellationToken);

        public IAsyncEnumerable<string> ListAsync(string prefixToList, CancellationToken cancellationToken) =>
            inner.ListAsync($"{prefix}/{prefixToList}", cancellationToken);

        public Task DeleteAsync(string path, CancellationToken cancellationToken) => inner.DeleteAsync($"{prefix}/{path}", cancellationToken);
    }
}
