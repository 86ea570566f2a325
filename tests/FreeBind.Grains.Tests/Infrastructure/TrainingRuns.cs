using System.Text.Json;

using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Jobs;
using FreeBind.Media;
using FreeBind.Training;
using FreeBind.Training.Pseudo;

namespace FreeBind.Tests.Infrastructure;

/// <summary>Datasets, requests and waits shared by the training tests on <see cref="TrainingClusterFixture"/>.</summary>
internal static class TrainingRuns
{
    public const string Bond = "c-expert";

    public static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);

    /// <summary>Rows written by <see cref="WriteDatasetAsync"/>, row-major and normalised, in file order.</summary>
    public sealed record DatasetRows(float[] Source, float[] Target);

    public static TrainingJobRequest Request(string data, string output) => new()
    {
        Data = data,
        Bond = Bond,
        Output = output,
        Modes = ["mix"],
        LearningRate = 1e-2,
        Schedule = "constant",
        Seed = 0,
    };

    public static async Task<TrainingJobStatus> RunAsync(IClusterClient client, string jobId, TrainingJobRequest request)
    {
        var job = client.GetGrain<ITrainingJobGrain>(jobId);
        await job.StartAsync(request);
        return await WaitForAsync(job, s => s.State != EmbeddingJobState.Running, "the end of training");
    }

    public static async Task<TrainingJobStatus> WaitForAsync(ITrainingJobGrain job, Func<TrainingJobStatus, bool> condition, string description)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            try
            {
                var status = await job.GetStatusAsync();
                if (condition(status))
                {
                    return status;
                }
            }
            catch (Exception exception) when (exception is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
            {
                // A killed silo is not yet declared dead: the next poll re-activates the grains elsewhere.
            }

            Assert.False(deadline.IsCancellationRequested, $"no {description} within {Deadline.TotalMinutes} min");

            // Polling with a deadline: a training job has no event a test client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    public static ProjectorWeights LoadProjector(string output) =>
        ProjectorCheckpoint.Load(Path.Combine(output, "training", Bond, "projectors", "mix"));

    public static double RelativeDifference(float[] expected, float[] actual)
    {
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += Math.Pow(expected[i] - actual[i], 2);
            norm += Math.Pow(expected[i], 2);
        }

        return Math.Sqrt(difference / Math.Max(norm, 1e-30));
    }

    /// <summary>
    /// Writes a pseudo dataset whose targets are a fixed random linear map of the sources, normalised,
    /// or, with <paramref name="randomTargets"/>, random vectors unrelated to the sources, which a
    /// projector can memorise but not generalise from.
    /// </summary>
    public static async Task<DatasetRows> WriteDatasetAsync(
        string root, int rows, int inputs, int outputs, int seed, bool randomTargets = false)
    {
        var random = new Random(seed);
        var map = Enumerable.Range(0, outputs * inputs).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var pairs = new List<PseudoPairRow>();
        for (var r = 0; r < rows; r++)
        {
            var source = Normalize(Enumerable.Range(0, inputs).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray());
            var target = new float[outputs];
            for (var o = 0; o < outputs; o++)
            {
                if (randomTargets)
                {
                    target[o] = (float)((random.NextDouble() * 2) - 1);
                    continue;
                }

                for (var i = 0; i < inputs; i++)
                {
                    target[o] += map[(o * inputs) + i] * source[i];
                }
            }

            pairs.Add(new PseudoPairRow($"item-{r:D4}", Modality.Text, source, Normalize(target), PseudoSide.None));
        }

        var folder = Path.Combine(root, "pseudo", Bond, "mix");
        Directory.CreateDirectory(folder);
        await using (var stream = File.Create(Path.Combine(folder, "part-00000.parquet")))
        {
            await PseudoPairParquetWriter.WriteAsync(
                stream, new PseudoPairFileMetadata(Bond, "expert", "unified", inputs, outputs, "mix"), pairs, CancellationToken.None);
        }

        var manifest = new PseudoDatasetManifest
        {
            Bond = Bond,
            Kind = "combination",
            UnifiedSpace = "unified",
            ExpertSpace = "expert",
            SourceSpace = "expert",
            TargetSpace = "unified",
            SourceDimension = inputs,
            TargetDimension = outputs,
            DataMode = "mix",
            K = 5,
            Temperature = 0.05f,
            Noise = 0,
            Seed = seed,
            BankModality = "text",
            BankRows = new Dictionary<string, long>(),
            Rows = rows,
            RowsByModality = new Dictionary<string, long> { ["text"] = rows },
            PseudoRows = 0,
            Parts = ["part-00000.parquet"],
            FreeBindVersion = "test",
        };
        await File.WriteAllTextAsync(Path.Combine(folder, "manifest.json"), JsonSerializer.Serialize(manifest, PseudoDatasetManifest.JsonOptions));
        return new DatasetRows([.. pairs.SelectMany(p => p.Source)], [.. pairs.SelectMany(p => p.Target)]);
    }

    private static float[] Normalize(float[] values)
    {
        var norm = MathF.Sqrt(values.Sum(v => v * v));
        return values.Select(v => v / norm).ToArray();
    }
}
