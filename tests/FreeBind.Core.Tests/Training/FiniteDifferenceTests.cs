using FreeBind.Bonds;
using FreeBind.Training;

namespace FreeBind.Tests.Training;

/// <summary>
/// Checks every gradient entry of a tiny projector against central finite differences of a
/// separate double-precision implementation of the training loss.
/// </summary>
public sealed class FiniteDifferenceTests
{
    private const int Batch = 5;
    private const double Step = 1e-5;

    [Theory]
    [InlineData("gelu", true)]
    [InlineData("silu", false)]
    [InlineData("tanh", true)]
    public async Task GradientsMatchFiniteDifferences(string activation, bool batchNorm)
    {
        var architecture = new ProjectorArchitecture(3, 5, 4, activation, batchNorm);
        var options = new TrainingOptions { MseWeight = 0.3, LearnableTemperature = true, Temperature = 0.5 };
        var random = new Random(3);
        float[] source = TrainingTestData.Gaussian(random, Batch * 3);
        float[] target = TrainingTestData.Gaussian(random, Batch * 4);
        ProjectorWeights weights = TrainingTestData.RandomWeights(architecture, 5);
        var state = new ProjectorTrainingState(weights, options);
        using var shards = new ShardSet(source, target, Batch, 3, 4, 2);
        var coordinator = new TrainingStepCoordinator(shards.Shards, options);

        GradientComputation computation = await coordinator.ComputeGradientsAsync(state, CancellationToken.None);

        var parameters = state.NamedParameters(true).ToDictionary(pair => pair.Name, pair => Array.ConvertAll(pair.Values, v => (double)v));
        double loss = DoubleLoss(architecture, parameters, source, target, options.MseWeight);
        Assert.Equal(loss, computation.Loss.Total, 1e-5 * loss);
        foreach ((string name, float[] analytic) in computation.Gradients.Named())
        {
            double[] values = parameters[name];
            var numeric = new float[values.Length];
            for (int i = 0; i < values.Length; i++)
            {
                double original = values[i];
                values[i] = original + Step;
                double plus = DoubleLoss(architecture, parameters, source, target, options.MseWeight);
                values[i] = original - Step;
                double minus = DoubleLoss(architecture, parameters, source, target, options.MseWeight);
                values[i] = original;
                numeric[i] = (float)((plus - minus) / (2 * Step));
            }

            double error = TrainingFixtures.RelativeError(analytic, numeric, 1e-4);
            Assert.True(error < 1e-4, $"{activation}: gradient of {name} differs from finite differences by {error:E2} (relative)");
        }
    }

    /// <summary>Training loss in double: train-mode BatchNorm, L2 normalisation, symmetric InfoNCE and MSE.</summary>
    private static double DoubleLoss(
        ProjectorArchitecture architecture, Dictionary<string, double[]> p, float[] source, float[] target, double mseWeight)
    {
        int n = Batch;
        int input = architecture.InputDimension;
        int hidden = architecture.HiddenDimension;
        int output = architecture.OutputDimension;
        string second = architecture.BatchNorm ? "3" : "2";
        double[,] a1 = Linear(source, n, input, p["0.weight"], p["0.bias"], hidden);
        if (architecture.BatchNorm)
        {
            BatchNorm(a1, p["1.weight"], p["1.bias"], architecture.Epsilon);
        }

        var hDouble = new double[n * hidden];
        for (int r = 0; r < n; r++)
        {
            for (int k = 0; k < hidden; k++)
            {
                hDouble[r * hidden + k] = ProjectorMath.Activate(architecture.Activation, a1[r, k]);
            }
        }

        double[,] a2 = LinearDouble(hDouble, n, hidden, p[second + ".weight"], p[second + ".bias"], output);
        if (architecture.BatchNorm)
        {
            BatchNorm(a2, p["4.weight"], p["4.bias"], architecture.Epsilon);
        }

        double[,] z = NormalizeRows(a2);
        double[,] t = NormalizeRows(ToMatrix(target, n, output));
        double scale = Math.Exp(p[ProjectorParameterNames.LogScale][0]);
        var logits = new double[n, n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double dot = 0;
                for (int k = 0; k < output; k++)
                {
                    dot += z[i, k] * t[j, k];
                }

                logits[i, j] = scale * dot;
            }
        }

        double rows = 0;
        double columns = 0;
        double squared = 0;
        for (int i = 0; i < n; i++)
        {
            double rowSum = 0;
            double columnSum = 0;
            for (int j = 0; j < n; j++)
            {
                rowSum += Math.Exp(logits[i, j]);
                columnSum += Math.Exp(logits[j, i]);
            }

            rows += Math.Log(rowSum) - logits[i, i];
            columns += Math.Log(columnSum) - logits[i, i];
            for (int k = 0; k < output; k++)
            {
                squared += (z[i, k] - t[i, k]) * (z[i, k] - t[i, k]);
            }
        }

        return (rows / n + columns / n) / 2 + mseWeight * squared / n;
    }

    private static double[,] Linear(float[] x, int n, int input, double[] weight, double[] bias, int output)
        => LinearDouble(Array.ConvertAll(x, v => (double)v), n, input, weight, bias, output);

    private static double[,] LinearDouble(double[] x, int n, int input, double[] weight, double[] bias, int output)
    {
        var result = new double[n, output];
        for (int r = 0; r < n; r++)
        {
            for (int o = 0; o < output; o++)
            {
                double sum = bias[o];
                for (int i = 0; i < input; i++)
                {
                    sum += weight[o * input + i] * x[r * input + i];
                }

                result[r, o] = sum;
            }
        }

        return result;
    }

    private static void BatchNorm(double[,] values, double[] scale, double[] shift, double epsilon)
    {
        int n = values.GetLength(0);
        for (int k = 0; k < values.GetLength(1); k++)
        {
            double mean = 0;
            for (int r = 0; r < n; r++)
            {
                mean += values[r, k] / n;
            }

            double variance = 0;
            for (int r = 0; r < n; r++)
            {
                variance += (values[r, k] - mean) * (values[r, k] - mean) / n;
            }

            for (int r = 0; r < n; r++)
            {
                values[r, k] = (values[r, k] - mean) / Math.Sqrt(variance + epsilon) * scale[k] + shift[k];
            }
        }
    }

    private static double[,] ToMatrix(float[] values, int rows, int columns)
    {
        var result = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            for (int k = 0; k < columns; k++)
            {
                result[r, k] = values[r * columns + k];
            }
        }

        return result;
    }

    private static double[,] NormalizeRows(double[,] values)
    {
        int rows = values.GetLength(0);
        int columns = values.GetLength(1);
        var result = new double[rows, columns];
        for (int r = 0; r < rows; r++)
        {
            double norm = 0;
            for (int k = 0; k < columns; k++)
            {
                norm += values[r, k] * values[r, k];
            }

            norm = Math.Max(Math.Sqrt(norm), 1e-12);
            for (int k = 0; k < columns; k++)
            {
                result[r, k] = values[r, k] / norm;
            }
        }

        return result;
    }
}
