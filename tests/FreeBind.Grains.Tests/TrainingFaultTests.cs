using System.Globalization;

using FreeBind.Jobs;
using FreeBind.Tests.Infrastructure;
using FreeBind.Training;

using Orleans.TestingHost;

using static FreeBind.Tests.Infrastructure.TrainingRuns;

namespace FreeBind.Tests;

/// <summary>
/// Training jobs under faults on the three-silo TestCluster: a killed worker silo, workers that
/// outlive the step timeout while stepping or loading, and early stopping that keeps the best
/// epoch's weights.
/// </summary>
[Collection(TrainingClusterCollection.Name)]
public sealed class TrainingFaultTests(TrainingClusterFixture fixture)
{
    [Fact]
    public async Task KilledWorkerSilo_KeepsWeights()
    {
        using var temp = new TempDirectory();
        await WriteDatasetAsync(temp.Path, rows: 200, inputs: 8, outputs: 6, seed: 4);
        var request = Request(temp.Path, temp.Combine("reference")) with
        {
            Workers = 3,
            Epochs = 20,
            BatchSize = 30,
            HiddenDimension = 32,
            ValidationFraction = 0,
            CheckpointEvery = 5,
            StepTimeout = TimeSpan.FromSeconds(20),
        };
        var reference = await RunAsync($"worker-reference-{Guid.NewGuid():N}", request);
        Assert.Equal(EmbeddingJobState.Completed, reference.State);

        // Start jobs until one has a worker on a secondary silo (the primary hosts membership) that
        // does not also host the trainer, so the kill takes workers only. Worker 0 delays its logit
        // phase of step 11 for a while, so the job is still mid-run when the silo dies.
        ITrainingJobGrain? job = null;
        SiloHandle? victim = null;
        StalledCallFilter.Stall? hold = null;
        var output = "";
        for (var attempt = 0; victim is null; attempt++)
        {
            Assert.True(attempt < 12, "no job had a worker on a secondary silo apart from its trainer in 12 jobs");
            if (job is not null)
            {
                // Let the unsuitable job finish, so it does not share the cores with the next one.
                await WaitForAsync(job, s => s.State != EmbeddingJobState.Running, "the end of an unsuitable job");
            }

            var jobId = $"killed-worker-{attempt}-{Guid.NewGuid():N}";
            hold = StalledCallFilter.Arm(
                $"{jobId}/mix/g1/w0", nameof(ITrainingWorkerGrain.ComputeLogitsAsync), skip: 10, limit: TimeSpan.FromSeconds(15));
            output = temp.Combine($"killed-{attempt}");
            job = fixture.Cluster.Client.GetGrain<ITrainingJobGrain>(jobId);
            await job.StartAsync(request with { Output = output });
            var placed = await WaitForAsync(
                job, s => s.Trainers[0].WorkerSilos.Count == request.Workers || s.State != EmbeddingJobState.Running, "the workers' placement");
            var trainer = placed.Trainers[0];
            victim = fixture.Cluster.SecondarySilos.FirstOrDefault(s =>
                s.SiloAddress.ToString() != trainer.Silo && trainer.WorkerSilos.Contains(s.SiloAddress.ToString()));
        }

        await hold!.Holding.WaitAsync(TimeSpan.FromMinutes(1));
        var beforeKill = await job!.GetStatusAsync();
        Assert.True(beforeKill.State == EmbeddingJobState.Running, $"the job ended ({beforeKill.State}) before the kill");
        await fixture.Cluster.KillSiloAsync(victim);
        try
        {
            var status = await WaitForAsync(job, s => s.State != EmbeddingJobState.Running, "the end of the run after the kill");
            var trainer = Assert.Single(status.Trainers);
            Assert.True(status.State == EmbeddingJobState.Completed, $"run ended {status.State}: {trainer.Error}");
            Assert.True(trainer.WorkerRestarts >= 1, "the trainer never replaced its workers after their silo died");
            Assert.DoesNotContain(victim.SiloAddress.ToString(), trainer.WorkerSilos);
            Assert.Equal(reference.Trainers[0].Step, trainer.Step);

            var expected = LoadProjector(temp.Combine("reference"));
            var actual = LoadProjector(output);
            Assert.True(RelativeDifference(expected.Weight1, actual.Weight1) < 1e-4, "first layer differs from the uninterrupted run");
            Assert.True(RelativeDifference(expected.Weight2, actual.Weight2) < 1e-4, "second layer differs from the uninterrupted run");
            Assert.True(RelativeDifference(expected.Norm2RunningMean!, actual.Norm2RunningMean!) < 1e-4, "running mean differs from the uninterrupted run");
        }
        finally
        {
            await fixture.Cluster.StartAdditionalSiloAsync();
        }
    }

    [Fact]
    public async Task SlowWorker_IsReplaced()
    {
        using var temp = new TempDirectory();
        await WriteDatasetAsync(temp.Path, rows: 200, inputs: 8, outputs: 6, seed: 5);
        var request = Request(temp.Path, temp.Combine("reference")) with
        {
            Workers = 2,
            Epochs = 3,
            BatchSize = 20,
            HiddenDimension = 32,
            ValidationFraction = 0,
            CheckpointEvery = 5,
            StepTimeout = TimeSpan.FromSeconds(10),
        };
        var reference = await RunAsync($"slow-reference-{Guid.NewGuid():N}", request);
        Assert.Equal(EmbeddingJobState.Completed, reference.State);

        // Worker 1 of the first generation delays its logit phase of step 7 until the trainer's step
        // timeout cancels the call. Worker keys are <job>/<mode>/g<generation>/w<index>.
        var jobId = $"slow-{Guid.NewGuid():N}";
        var stall = StalledCallFilter.Arm(
            $"{jobId}/mix/g1/w1", nameof(ITrainingWorkerGrain.ComputeLogitsAsync), skip: 6, limit: TimeSpan.FromMinutes(1));
        var output = temp.Combine("slow");
        var status = await RunAsync(jobId, request with { Output = output });

        var trainer = Assert.Single(status.Trainers);
        Assert.True(status.State == EmbeddingJobState.Completed, $"run ended {status.State}: {trainer.Error}");
        Assert.True(stall.Released.IsCompleted, "the stalled call was never made: the worker key or method name is wrong");
        Assert.True(await stall.Released, "the stalled call ran to its limit: the trainer's step timeout did not cancel it");
        Assert.True(trainer.WorkerRestarts >= 1, "the trainer did not replace the slow worker");
        Assert.Equal(reference.Trainers[0].Step, trainer.Step);

        var expected = LoadProjector(temp.Combine("reference"));
        var actual = LoadProjector(output);
        Assert.True(RelativeDifference(expected.Weight1, actual.Weight1) < 1e-4, "first layer differs from the run without a slow worker");
        Assert.True(RelativeDifference(expected.Weight2, actual.Weight2) < 1e-4, "second layer differs from the run without a slow worker");
    }

    [Fact]
    public async Task SlowReplacementWorker_IsReplacedAgain()
    {
        using var temp = new TempDirectory();
        await WriteDatasetAsync(temp.Path, rows: 200, inputs: 8, outputs: 6, seed: 7);
        var request = Request(temp.Path, temp.Combine("reference")) with
        {
            Workers = 2,
            Epochs = 2,
            BatchSize = 20,
            HiddenDimension = 32,
            ValidationFraction = 0,
            StepTimeout = TimeSpan.FromSeconds(10),
        };
        var reference = await RunAsync($"slow-load-reference-{Guid.NewGuid():N}", request);
        Assert.Equal(EmbeddingJobState.Completed, reference.State);

        // Step 4 times out on a slow first-generation worker, then a worker of the second generation
        // is slow to load: the trainer must time that out too and start a third generation.
        var jobId = $"slow-load-{Guid.NewGuid():N}";
        var slowStep = StalledCallFilter.Arm(
            $"{jobId}/mix/g1/w1", nameof(ITrainingWorkerGrain.ComputeLogitsAsync), skip: 3, limit: TimeSpan.FromMinutes(1));
        var slowLoad = StalledCallFilter.Arm(
            $"{jobId}/mix/g2/w0", nameof(ITrainingWorkerGrain.LoadAsync), skip: 0, limit: TimeSpan.FromMinutes(1));
        var output = temp.Combine("slow-load");
        var status = await RunAsync(jobId, request with { Output = output });

        var trainer = Assert.Single(status.Trainers);
        Assert.True(status.State == EmbeddingJobState.Completed, $"run ended {status.State}: {trainer.Error}");
        Assert.True(slowStep.Released.IsCompleted, "the stalled step call was never made");
        Assert.True(await slowStep.Released, "the stalled step call ran to its limit: the step timeout did not cancel it");
        Assert.True(slowLoad.Released.IsCompleted, "the second generation was never loaded");
        Assert.True(await slowLoad.Released, "the stalled load ran to its limit: the step timeout did not cancel it");
        Assert.True(trainer.WorkerRestarts >= 2, $"{trainer.WorkerRestarts} worker replacement(s), expected at least 2");
        Assert.Equal(reference.Trainers[0].Step, trainer.Step);

        var expected = LoadProjector(temp.Combine("reference"));
        var actual = LoadProjector(output);
        Assert.True(RelativeDifference(expected.Weight1, actual.Weight1) < 1e-4, "first layer differs from the run without slow workers");
        Assert.True(RelativeDifference(expected.Weight2, actual.Weight2) < 1e-4, "second layer differs from the run without slow workers");
    }

    [Fact]
    public async Task EarlyStopping_KeepsBestCheckpoint()
    {
        using var temp = new TempDirectory();
        const int Rows = 200;
        const double ValidationFraction = 0.2;
        var data = await WriteDatasetAsync(temp.Path, Rows, inputs: 8, outputs: 6, seed: 6, randomTargets: true);
        var output = temp.Combine("out");
        var request = Request(temp.Path, output) with
        {
            Workers = 2,
            Epochs = 40,
            BatchSize = 40,
            HiddenDimension = 64,
            ValidationFraction = ValidationFraction,
            Patience = 2,
        };

        var status = await RunAsync($"early-stop-{Guid.NewGuid():N}", request);

        // 160 training rows in batches of 40: 4 steps per epoch, 160 steps without early stopping.
        const int StepsPerEpoch = 4;
        var trainer = Assert.Single(status.Trainers);
        Assert.True(status.State == EmbeddingJobState.Completed, $"run ended {status.State}: {trainer.Error}");
        Assert.Equal(40 * StepsPerEpoch, trainer.TotalSteps);
        Assert.True(trainer.StoppedEarly, "the status does not report early stopping");
        Assert.True(trainer.Step < trainer.TotalSteps, $"training ran all {trainer.TotalSteps} steps");
        Assert.Equal(request.Patience * StepsPerEpoch, trainer.Step - trainer.BestStep);

        var validations = ReadValidations(Path.Combine(output, "training", Bond, "metrics", "mix.csv"));
        Assert.Equal(trainer.Step / StepsPerEpoch, validations.Count);
        var best = Assert.Single(validations, v => v.Step == trainer.BestStep);
        Assert.DoesNotContain(validations, v => v.Recall > best.Recall || (v.Recall == best.Recall && v.Loss < best.Loss));
        var last = validations[^1];
        Assert.Equal(trainer.Step, last.Step);

        // Score the written projector on the validation rows: it must be the best epoch's weights, not the last.
        var (_, validationRows) = FreeBind.Training.TrainingDataset.Split(Rows, request.Seed, ValidationFraction);
        var source = validationRows.SelectMany(r => data.Source.AsSpan(r * 8, 8).ToArray()).ToArray();
        var target = validationRows.SelectMany(r => data.Target.AsSpan(r * 6, 6).ToArray()).ToArray();
        var (loss, recall) = TrainingValidation.Evaluate(LoadProjector(output), source, target, validationRows.Length, request.Temperature);
        Assert.Equal(best.Recall, recall, 1e-9);
        Assert.Equal(best.Loss, loss, 1e-6);
        Assert.True(Math.Abs(last.Loss - loss) > 1e-4, $"the last epoch's validation loss {last.Loss} equals the best's, so the check cannot tell them apart");
    }

    private Task<TrainingJobStatus> RunAsync(string jobId, TrainingJobRequest request) =>
        TrainingRuns.RunAsync(fixture.Cluster.Client, jobId, request);

    private sealed record Validation(long Step, double Loss, double Recall);

    /// <summary>Reads the validation rows of a metrics CSV: step is column 0, loss and recall the last two columns.</summary>
    private static List<Validation> ReadValidations(string path) =>
        File.ReadLines(path)
            .Skip(1)
            .Select(line => line.Split(','))
            .Where(columns => columns[2] == "validation")
            .Select(columns => new Validation(
                long.Parse(columns[0], CultureInfo.InvariantCulture),
                double.Parse(columns[^2], CultureInfo.InvariantCulture),
                double.Parse(columns[^1], CultureInfo.InvariantCulture)))
            .ToList();
}
