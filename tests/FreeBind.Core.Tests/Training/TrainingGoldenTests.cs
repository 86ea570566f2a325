using FreeBind.Bonds;
using FreeBind.Training;

namespace FreeBind.Tests.Training;

/// <summary>Compares one training step and three AdamW steps with PyTorch 1.13 (Fixtures/training/cases.json).</summary>
public sealed class TrainingGoldenTests
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> Cases() => TrainingFixtures.CaseNames();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GradientsMatchTorchAutograd(string name)
    {
        TrainingCase golden = TrainingFixtures.Cases[name];
        TrainingOptions options = golden.Options();
        var state = new ProjectorTrainingState(TrainingFixtures.Weights(golden, golden.Initial), options);
        using var shards = new ShardSet(
            golden.Source, golden.Target, golden.Batch, golden.InputDimension, golden.OutputDimension, 1);
        var coordinator = new TrainingStepCoordinator(shards.Shards, options);

        GradientComputation computation = await coordinator.ComputeGradientsAsync(state, CancellationToken.None);

        Assert.Equal(golden.Losses[0], computation.Loss.Total, golden.Losses[0] * Tolerance);
        Assert.Equal(golden.GradientNorm, computation.Gradients.GlobalNorm(), golden.GradientNorm * Tolerance);
        var actual = computation.Gradients.Named().ToDictionary(pair => pair.Name, pair => pair.Values);
        foreach ((string key, float[] expected) in golden.Gradients)
        {
            if (golden.BatchNorm && key is "0.bias" or "3.bias")
            {
                // A bias before BatchNorm has an exactly zero gradient; torch's values are round-off.
                Assert.All(actual[key], value => Assert.Equal(0f, value));
                Assert.True(expected.Max(Math.Abs) < 1e-7 * golden.GradientNorm, $"{name}: torch's {key} gradient is not round-off");
                continue;
            }

            double error = TrainingFixtures.RelativeError(actual[key], expected);
            Assert.True(error < Tolerance, $"{name}: gradient of {key} differs from torch by {error:E2} (relative)");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AdamWStepsMatchTorch(string name)
    {
        TrainingCase golden = TrainingFixtures.Cases[name];
        TrainingOptions options = golden.Options();
        var state = new ProjectorTrainingState(TrainingFixtures.Weights(golden, golden.Initial), options);
        using var shards = new ShardSet(
            golden.Source, golden.Target, golden.Batch, golden.InputDimension, golden.OutputDimension, 1);
        var coordinator = new TrainingStepCoordinator(shards.Shards, options);

        for (int step = 0; step < golden.Steps; step++)
        {
            TrainingStepResult result = await coordinator.StepAsync(state, CancellationToken.None);
            Assert.Equal(golden.Losses[step], result.Loss.Total, golden.Losses[step] * Tolerance);
            Assert.Equal(golden.LearningRates[step], result.LearningRate, 1e-12);
        }

        ProjectorWeights expected = TrainingFixtures.Weights(golden, golden.Final);
        ProjectorWeights actual = state.Weights;
        AssertClose(name, "0.weight", actual.Weight1, expected.Weight1);
        AssertClose(name, "second weight", actual.Weight2, expected.Weight2);
        if (golden.BatchNorm)
        {
            // The biases before BatchNorm have a zero gradient and no weight decay, so they stay unchanged.
            Assert.Equal(golden.Initial["0.bias"], actual.Bias1);
            Assert.Equal(golden.Initial["3.bias"], actual.Bias2);
            AssertClose(name, "1.weight", actual.Norm1Scale!, expected.Norm1Scale!);
            AssertClose(name, "1.bias", actual.Norm1Shift!, expected.Norm1Shift!);
            AssertClose(name, "4.weight", actual.Norm2Scale!, expected.Norm2Scale!);
            AssertClose(name, "4.bias", actual.Norm2Shift!, expected.Norm2Shift!);
            AssertClose(name, "1.running_mean", actual.Norm1RunningMean!, expected.Norm1RunningMean!);
            AssertClose(name, "1.running_var", actual.Norm1RunningVariance!, expected.Norm1RunningVariance!);
            AssertClose(name, "4.running_mean", actual.Norm2RunningMean!, expected.Norm2RunningMean!);
            AssertClose(name, "4.running_var", actual.Norm2RunningVariance!, expected.Norm2RunningVariance!);
            Assert.Equal(golden.Steps, state.BatchesTracked);
        }
        else
        {
            AssertClose(name, "0.bias", actual.Bias1, expected.Bias1);
            AssertClose(name, "2.bias", actual.Bias2, expected.Bias2);
        }

        Assert.Equal(golden.FinalLogScale, state.LogScale, Math.Abs(golden.FinalLogScale) * Tolerance);
        Assert.Equal(golden.Steps, state.Optimizer.Step);
    }

    private static void AssertClose(string name, string key, float[] actual, float[] expected)
    {
        double error = TrainingFixtures.RelativeError(actual, expected);
        Assert.True(error < Tolerance, $"{name}: {key} after the AdamW steps differs from torch by {error:E2} (relative)");
    }
}
