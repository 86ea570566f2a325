using FreeBind.Bonds;
using FreeBind.Training;

namespace FreeBind.Tests.Training;

public sealed class TrainingValidationTests
{
    private const int Rows = 40;

    [Theory]
    [InlineData("relu", true)]
    [InlineData("gelu", true)]
    [InlineData("tanh", false)]
    public void Evaluate_MatchesReferenceProjector(string activation, bool batchNorm)
    {
        var architecture = new ProjectorArchitecture(12, 24, 8, activation, batchNorm);
        var weights = TrainingTestData.RandomWeights(architecture, seed: 3);
        var random = new Random(5);
        if (batchNorm)
        {
            // Running statistics away from 0 and 1, so inference-mode BatchNorm is exercised.
            TrainingTestData.Uniform(random, 24, 0.3).CopyTo(weights.Norm1RunningMean!, 0);
            TrainingTestData.Uniform(random, 24, 0.4, 1).CopyTo(weights.Norm1RunningVariance!, 0);
            TrainingTestData.Uniform(random, 8, 0.3).CopyTo(weights.Norm2RunningMean!, 0);
            TrainingTestData.Uniform(random, 8, 0.4, 1).CopyTo(weights.Norm2RunningVariance!, 0);
        }

        var source = TrainingTestData.Uniform(random, Rows * 12, 1);
        var projected = new float[Rows * 8];
        ProjectorMath.Forward(weights, source, projected, Rows);

        // Targets near each row's own projection, scaled, so recall lands strictly between 0 and 1.
        var noise = TrainingTestData.Uniform(random, Rows * 8, 0.25);
        var target = projected.Select((value, i) => 3 * (value + noise[i])).ToArray();
        const double temperature = 0.1;

        var (loss, recall) = TrainingValidation.Evaluate(weights, source, target, Rows, temperature);

        var (expectedLoss, expectedRecall) = Reference(projected, target, temperature);
        Assert.InRange(expectedRecall, 0.05, 0.95);
        Assert.Equal(expectedRecall, recall, 10);
        Assert.True(Math.Abs(loss - expectedLoss) <= 1e-4 * Math.Abs(expectedLoss), $"loss {loss} vs reference {expectedLoss}");
    }

    /// <summary>Returns the symmetric InfoNCE loss and recall at 1 from the full score matrix, in double.</summary>
    private static (double Loss, double Recall) Reference(float[] projected, float[] target, double temperature)
    {
        const int outputs = 8;
        var normalized = new double[Rows, outputs];
        for (var j = 0; j < Rows; j++)
        {
            var norm = Math.Sqrt(Enumerable.Range(0, outputs).Sum(k => (double)target[j * outputs + k] * target[j * outputs + k]));
            for (var k = 0; k < outputs; k++)
            {
                normalized[j, k] = target[j * outputs + k] / norm;
            }
        }

        var scores = new double[Rows, Rows];
        for (var i = 0; i < Rows; i++)
        {
            for (var j = 0; j < Rows; j++)
            {
                scores[i, j] = Enumerable.Range(0, outputs).Sum(k => projected[i * outputs + k] * normalized[j, k]) / temperature;
            }
        }

        double rowLoss = 0;
        double columnLoss = 0;
        var hits = 0;
        for (var i = 0; i < Rows; i++)
        {
            rowLoss += LogSumExp(Enumerable.Range(0, Rows).Select(j => scores[i, j])) - scores[i, i];
            columnLoss += LogSumExp(Enumerable.Range(0, Rows).Select(j => scores[j, i])) - scores[i, i];
            hits += Enumerable.Range(0, Rows).All(j => j == i || scores[i, j] < scores[i, i]) ? 1 : 0;
        }

        return ((rowLoss + columnLoss) / 2 / Rows, hits / (double)Rows);
    }

    private static double LogSumExp(IEnumerable<double> values)
    {
        var list = values.ToList();
        var max = list.Max();
        return max + Math.Log(list.Sum(v => Math.Exp(v - max)));
    }
}
