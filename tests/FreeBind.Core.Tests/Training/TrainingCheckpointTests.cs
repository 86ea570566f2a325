using FreeBind.Bonds;
using FreeBind.Training;

namespace FreeBind.Tests.Training;

public sealed class TrainingCheckpointTests
{
    [Fact]
    public async Task ResumedRunMatchesUninterruptedRun()
    {
        var architecture = new ProjectorArchitecture(6, 12, 5);
        var options = new TrainingOptions { LearningRate = 1e-2, LearnableTemperature = true };
        var random = new Random(2);
        float[] source = TrainingTestData.Gaussian(random, 8 * 6);
        float[] target = TrainingTestData.Gaussian(random, 8 * 5);
        ProjectorWeights initial = TrainingTestData.RandomWeights(architecture, 4);
        using var shards = new ShardSet(source, target, 8, 6, 5, 2);
        var coordinator = new TrainingStepCoordinator(shards.Shards, options);
        string directory = Directory.CreateTempSubdirectory("freebind-training-").FullName;
        try
        {
            var straight = new ProjectorTrainingState(initial.Copy(), options);
            var interrupted = new ProjectorTrainingState(initial.Copy(), options);
            for (int step = 0; step < 2; step++)
            {
                await coordinator.StepAsync(straight, CancellationToken.None);
                await coordinator.StepAsync(interrupted, CancellationToken.None);
            }

            string path = Path.Combine(directory, "projector");
            TrainingCheckpoint.Save(path, interrupted);
            ProjectorTrainingState resumed = TrainingCheckpoint.Load(path, options);
            await coordinator.StepAsync(straight, CancellationToken.None);
            await coordinator.StepAsync(resumed, CancellationToken.None);

            Assert.Equal(3, resumed.Optimizer.Step);
            Assert.Equal(3, resumed.BatchesTracked);
            Assert.Equal(straight.LogScale, resumed.LogScale);
            Assert.Equal(straight.Weights.Weight1, resumed.Weights.Weight1);
            Assert.Equal(straight.Weights.Norm2Scale, resumed.Weights.Norm2Scale);
            Assert.Equal(straight.Weights.Norm1RunningVariance, resumed.Weights.Norm1RunningVariance);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
