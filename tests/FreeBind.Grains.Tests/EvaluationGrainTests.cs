using FreeBind.Evaluation;
using FreeBind.Media;
using FreeBind.Pipeline;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>Evaluation through the coordinator and worker grains equals the in-process Core result.</summary>
public sealed class EvaluationGrainTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    private const string Labels = """
        {"id": "p-a", "class": "a"}
        {"id": "p-b", "class": "b"}
        {"id": "p-c", "class": "c"}
        {"id": "item-000", "labels": ["a"]}
        {"id": "item-001", "labels": ["a", "b"]}
        {"id": "item-002", "labels": ["b"]}
        {"id": "item-005", "labels": ["c", "a"]}
        {"id": "item-007", "labels": ["b"]}
        {"id": "item-011", "labels": ["zzz"]}
        """;

    [Theory]
    [InlineData("retrieval:text-audio", 3)]
    [InlineData("classification:audio", 2)]
    public async Task Grains_EqualCoreResult(string taskName, int partitions)
    {
        using var work = new TempDirectory();
        var random = new Random(3);
        var store = new LocalBlobStore(work.Path);
        var embeddings = new Dictionary<Modality, EmbeddingMatrix>();
        foreach (var modality in new[] { Modality.Text, Modality.Audio })
        {
            var ids = Enumerable.Range(0, 40).Select(i => $"item-{i:D3}").Concat(["p-a", "p-b", "p-c"]).ToList();
            var values = ids.SelectMany(_ => Enumerable.Range(0, 8).Select(_ => random.Next(-2, 3) * 0.25f)).ToArray();
            embeddings[modality] = new EmbeddingMatrix(ids, 8, values);
            for (var shard = 0; shard < 4; shard++)
            {
                var rows = ids.Select((id, i) => (id, i)).Where(x => x.i % 4 == shard)
                    .Select(x => new EmbeddingRow(x.id, modality.ToName(), "s", "m", values.AsSpan(x.i * 8, 8).ToArray(), x.id))
                    .ToList();
                await store.WriteAsync(
                    OutputLayout.Embeddings("s", modality.ToName(), shard),
                    (stream, token) => EmbeddingParquetWriter.WriteAsync(
                        stream, new EmbeddingFileMetadata("s", modality.ToName(), "m", 8), rows, token),
                    CancellationToken.None);
            }
        }

        var task = EvaluationTask.Parse(taskName);
        var labels = EvaluationLabels.Parse(Labels, "jsonl", "labels.jsonl");
        var expected = TaskEvaluator.Evaluate(task, "s", embeddings, labels);

        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var summary = await fixture.Cluster.Client.GetGrain<IEvaluationGrain>("test-" + taskName).EvaluateAsync(
            new EvaluationRequest
            {
                Embeddings = work.Path,
                Space = "s",
                Task = taskName,
                LabelsText = Labels,
                Partitions = partitions,
            },
            timeout.Token);

        Assert.Equal(expected.Task, summary.Task);
        Assert.Equal(expected.Metrics.Keys.Order(), summary.Metrics.Keys.Order());
        foreach (var (name, value) in expected.Metrics)
        {
            Assert.True(value == summary.Metrics[name], $"{name}: Core {value}, grains {summary.Metrics[name]}");
        }

        Assert.Equal(expected.Counts.OrderBy(c => c.Key), summary.Counts.OrderBy(c => c.Key));
    }
}
