using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Jobs;
using FreeBind.Tests.Infrastructure;
using FreeBind.Training;

using Orleans.TestingHost;

using static FreeBind.Tests.Infrastructure.TrainingRuns;

namespace FreeBind.Tests;

/// <summary>Training jobs on a three-silo TestCluster: exactness across worker counts, learning, and resume after a killed silo.</summary>
[Collection(TrainingClusterCollection.Name)]
public sealed class TrainingJobTests(TrainingClusterFixture fixture)
{
    [Fact]
    public async Task WorkerCount_KeepsWeights()
    {
        using var temp = new TempDirectory();
        await WriteDatasetAsync(temp.Path, rows: 96, inputs: 8, outputs: 6, seed: 1);
        var runs = new List<ProjectorWeights>();
        foreach (var workers in new[] { 1, 2, 3 })
        {
            var output = temp.Combine($"out-{workers}");
            var status = await RunAsync($"independence-{workers}-{Guid.NewGuid():N}", Request(temp.Path, output) with
            {
                Workers = workers,
                Epochs = 2,
                BatchSize = 24,
                HiddenDimension = 16,
                ValidationFraction = 0,
            });
            Assert.Equal(EmbeddingJobState.Completed, status.State);
            Assert.Equal(8, status.Trainers[0].Step);
            runs.Add(LoadProjector(output));
        }

        // The trained weights moved away from the shared initial weights, so equality means something.
        var initial = ProjectorInitializer.Create(runs[0].Architecture, 0);
        Assert.True(RelativeDifference(initial.Weight1, runs[0].Weight1) > 1e-2);
        for (var i = 1; i < runs.Count; i++)
        {
            Assert.True(RelativeDifference(runs[0].Weight1, runs[i].Weight1) < 1e-4, $"{i + 1} workers: first layer differs");
            Assert.True(RelativeDifference(runs[0].Weight2, runs[i].Weight2) < 1e-4, $"{i + 1} workers: second layer differs");
            Assert.True(RelativeDifference(runs[0].Norm2RunningMean!, runs[i].Norm2RunningMean!) < 1e-4, $"{i + 1} workers: running mean differs");
        }
    }

    [Fact]
    public async Task Training_RecoversLinearMap()
    {
        using var temp = new TempDirectory();
        await WriteDatasetAsync(temp.Path, rows: 600, inputs: 16, outputs: 12, seed: 2);
        var output = temp.Combine("out");
        var status = await RunAsync($"recovery-{Guid.NewGuid():N}", Request(temp.Path, output) with
        {
            Workers = 2,
            Epochs = 12,
            BatchSize = 60,
            HiddenDimension = 64,
            LearningRate = 3e-3,
            ValidationFraction = 0.2,
            Patience = 0,
        });

        var trainer = Assert.Single(status.Trainers);
        Assert.Equal(EmbeddingJobState.Completed, status.State);
        Assert.Equal(480, trainer.TrainingRows);
        Assert.Equal(120, trainer.ValidationRows);
        // Chance is 1/120; a projector that learned the map finds most targets.
        Assert.True(trainer.ValidationRecall > 0.6, $"validation R@1 {trainer.ValidationRecall:F3}");
        var set = ProjectorSetFiles.Load(Path.Combine(output, "training", Bond, "projectors"));
        Assert.Equal(["mix"], set.Members.Keys);
        var metrics = File.ReadAllLines(Path.Combine(output, "training", Bond, "metrics", "mix.csv"));
        Assert.Equal(1 + trainer.Step + 12, metrics.Length);
        var firstLoss = double.Parse(metrics[1].Split(',')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(trainer.Loss < firstLoss / 2, $"loss {firstLoss:F3} -> {trainer.Loss:F3}");
    }

    [Fact]
    public async Task KilledTrainerSilo_ResumesExactly()
    {
        using var temp = new TempDirectory();
        await WriteDatasetAsync(temp.Path, rows: 200, inputs: 8, outputs: 6, seed: 3);
        var request = Request(temp.Path, temp.Combine("reference")) with
        {
            Workers = 2,
            Epochs = 8,
            BatchSize = 20,
            HiddenDimension = 32,
            ValidationFraction = 0,
            CheckpointEvery = 5,
            StepTimeout = TimeSpan.FromSeconds(20),
        };
        var reference = await RunAsync($"reference-{Guid.NewGuid():N}", request);
        Assert.Equal(EmbeddingJobState.Completed, reference.State);

        // Start jobs until one's trainer lands on a secondary silo (the primary hosts membership).
        ITrainingJobGrain? job = null;
        SiloHandle? victim = null;
        string output = "";
        for (var attempt = 0; victim is null; attempt++)
        {
            Assert.True(attempt < 12, "no trainer was placed on a secondary silo in 12 jobs");
            output = temp.Combine($"killed-{attempt}");
            job = fixture.Cluster.Client.GetGrain<ITrainingJobGrain>($"killed-{attempt}-{Guid.NewGuid():N}");
            var started = await job.StartAsync(request with { Output = output });
            victim = fixture.Cluster.SecondarySilos.FirstOrDefault(s => s.SiloAddress.ToString() == started.Trainers[0].Silo);
        }

        await WaitForAsync(job!, s => s.Trainers[0].Step >= 12, "step 12");
        await fixture.Cluster.KillSiloAsync(victim);
        try
        {
            var status = await WaitForAsync(job!, s => s.State != EmbeddingJobState.Running, "the end of the resumed run");
            Assert.True(status.State == EmbeddingJobState.Completed, $"resumed run ended {status.State}: {status.Trainers[0].Error}");
            Assert.NotEqual(victim.SiloAddress.ToString(), status.Trainers[0].Silo);

            var expected = LoadProjector(temp.Combine("reference"));
            var actual = LoadProjector(output);
            Assert.True(RelativeDifference(expected.Weight1, actual.Weight1) < 1e-4, "first layer differs from the uninterrupted run");
            Assert.True(RelativeDifference(expected.Weight2, actual.Weight2) < 1e-4, "second layer differs from the uninterrupted run");
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task MissingDataset_IsRejected()
    {
        using var temp = new TempDirectory();
        var job = fixture.Cluster.Client.GetGrain<ITrainingJobGrain>($"missing-{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAsync<JobConfigurationException>(() => job.StartAsync(Request(temp.Path, temp.Combine("out"))));

        Assert.Contains($"no pseudo datasets under '{temp.Path}/pseudo/'", error.Message);
        Assert.Contains("freebind pseudo --bonds <bond file> --bond", error.Message);
        Assert.Contains("--modes mix", error.Message);
    }

    [Fact]
    public async Task InvalidSettings_AreRejected()
    {
        using var temp = new TempDirectory();
        var job = fixture.Cluster.Client.GetGrain<ITrainingJobGrain>($"invalid-{Guid.NewGuid():N}");

        var error = await Assert.ThrowsAsync<JobConfigurationException>(() => job.StartAsync(Request(temp.Path, temp.Combine("out")) with
        {
            Modes = ["mix", "XY"],
            BatchSize = 1,
            ValidationFraction = 0.9,
        }));

        Assert.Contains("data mode 'XY' is unknown", error.Message);
        Assert.Contains("batch size 1", error.Message);
        Assert.Contains("validation fraction 0.9", error.Message);
    }

    private Task<TrainingJobStatus> RunAsync(string jobId, TrainingJobRequest request) =>
        TrainingRuns.RunAsync(fixture.Cluster.Client, jobId, request);
}
