using FreeBind.Bonds;
using FreeBind.Training;

namespace FreeBind.Tests.Training;

/// <summary>Checks that splitting one global batch over 1, 2 or 3 shards gives the same training run.</summary>
public sealed class ShardCountTests
{
    private const int Batch = 23;
    private const int Steps = 4;

    [Fact]
    public async Task ShardCountsGiveSameWeights()
    {
        var architecture = new ProjectorArchitecture(12, 32, 10, "gelu");
        var options = new TrainingOptions
        {
            LearningRate = 1e-3,
            MseWeight = 0.1,
            LearnableTemperature = true,
            Schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 1, 10),
        };
        var random = new Random(7);
        float[] source = TrainingTestData.Gaussian(random, Batch * architecture.InputDimension);
        float[] target = TrainingTestData.Gaussian(random, Batch * architecture.OutputDimension);
        ProjectorWeights initial = TrainingTestData.RandomWeights(architecture, 11);

        var runs = new List<(ProjectorTrainingState State, double[] Losses)>();
        foreach (int shardCount in new[] { 1, 2, 3 })
        {
            var state = new ProjectorTrainingState(initial.Copy(), options);
            using var shards = new ShardSet(source, target, Batch, architecture.InputDimension, architecture.OutputDimension, shardCount);
            var coordinator = new TrainingStepCoordinator(shards.Shards, options);
            var losses = new double[Steps];
            for (int step = 0; step < Steps; step++)
            {
                losses[step] = (await coordinator.StepAsync(state, CancellationToken.None)).Loss.Total;
            }

            runs.Add((state, losses));
        }

        var reference = runs[0].State.NamedParameters(true).ToDictionary(pair => pair.Name, pair => pair.Values);
        for (int run = 1; run < runs.Count; run++)
        {
            int shardCount = run + 1;
            for (int step = 0; step < Steps; step++)
            {
                Assert.Equal(runs[0].Losses[step], runs[run].Losses[step], runs[0].Losses[step] * 1e-5);
            }

            foreach ((string name, float[] values) in runs[run].State.NamedParameters(true))
            {
                double error = TrainingFixtures.RelativeError(values, reference[name]);
                Assert.True(error < 1e-4, $"{shardCount} shards: {name} differs from 1 shard by {error:E2} (relative)");
            }

            ProjectorWeights actual = runs[run].State.Weights;
            ProjectorWeights expected = runs[0].State.Weights;
            Assert.True(TrainingFixtures.RelativeError(actual.Norm1RunningVariance!, expected.Norm1RunningVariance!) < 1e-4);
            Assert.True(TrainingFixtures.RelativeError(actual.Norm2RunningMean!, expected.Norm2RunningMean!) < 1e-4);
        }

        // The weights moved, so equality above is not the trivial one of untouched weights.
        Assert.True(TrainingFixtures.RelativeError(runs[0].State.Weights.Weight1, initial.Weight1) > 1e-3);
    }

    [Fact]
    public async Task PhaseOutOfOrderIsRejected()
    {
        using var shard = new TrainingShard();
        shard.LoadBatch(new float[8], new float[6], 2);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => shard.ForwardOutputAsync(new BatchStatistics(2, new double[6], new double[6]), CancellationToken.None));

        Assert.Contains("ForwardOutputAsync", exception.Message);
    }
}
