using FreeBind.Bonds;

namespace FreeBind.Tests.Bonds.Graph;

/// <summary>
/// Straightforward projector forward pass for tests: Linear → BatchNorm (eval) → activation →
/// Linear → BatchNorm (eval) → L2 normalise, in double precision.
/// </summary>
internal static class ReferenceProjector
{
    public static float[] Forward(ProjectorWeights weights, float[] input)
    {
        var architecture = weights.Architecture;
        Assert.Equal(architecture.InputDimension, input.Length);

        var hidden = Linear(weights.Weight1, weights.Bias1, input.Select(v => (double)v).ToArray(), architecture.HiddenDimension);
        if (architecture.BatchNorm)
        {
            hidden = BatchNorm(hidden, weights.Norm1Scale!, weights.Norm1Shift!, weights.Norm1RunningMean!, weights.Norm1RunningVariance!, architecture.Epsilon);
        }

        hidden = hidden.Select(value => Activate(architecture.Activation, value)).ToArray();
        var output = Linear(weights.Weight2, weights.Bias2, hidden, architecture.OutputDimension);
        if (architecture.BatchNorm)
        {
            output = BatchNorm(output, weights.Norm2Scale!, weights.Norm2Shift!, weights.Norm2RunningMean!, weights.Norm2RunningVariance!, architecture.Epsilon);
        }

        var norm = Math.Max(Math.Sqrt(output.Sum(value => value * value)), 1e-12);
        return output.Select(value => (float)(value / norm)).ToArray();
    }

    private static double[] Linear(float[] weight, float[] bias, double[] input, int outputs)
    {
        var result = new double[outputs];
        for (var row = 0; row < outputs; row++)
        {
            double sum = bias[row];
            for (var column = 0; column < input.Length; column++)
            {
                sum += weight[(row * input.Length) + column] * input[column];
            }

            result[row] = sum;
        }

        return result;
    }

    private static double[] BatchNorm(double[] values, float[] scale, float[] shift, float[] mean, float[] variance, float epsilon) =>
        values.Select((value, i) => ((value - mean[i]) / Math.Sqrt(variance[i] + epsilon) * scale[i]) + shift[i]).ToArray();

    private static double Activate(string activation, double value) => activation switch
    {
        "relu" => Math.Max(value, 0),
        "tanh" => Math.Tanh(value),
        "silu" => value / (1 + Math.Exp(-value)),
        _ => throw new NotSupportedException($"activation '{activation}' is not in the test reference"),
    };
}
