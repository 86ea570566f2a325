using FreeBind.Bonds;

namespace FreeBind.Tests.Bonds.Runtime;

/// <summary>
/// Plain forward pass of projectors and fusion plans in double precision, written directly from the
/// layer definitions (BatchNorm not folded), for comparison with the ONNX graphs.
/// </summary>
internal static class ReferenceProjector
{
    /// <summary>Returns normalize(BN2(Linear2(act(BN1(Linear1(x)))))).</summary>
    public static double[] Forward(ProjectorWeights weights, ReadOnlySpan<double> x)
    {
        var architecture = weights.Architecture;
        var hidden = Linear(weights.Weight1, weights.Bias1, x, architecture.HiddenDimension);
        if (architecture.BatchNorm)
        {
            BatchNorm(hidden, weights.Norm1Scale!, weights.Norm1Shift!, weights.Norm1RunningMean!, weights.Norm1RunningVariance!, architecture.Epsilon);
        }

        for (var h = 0; h < hidden.Length; h++)
        {
            hidden[h] = Activate(architecture.Activation, hidden[h]);
        }

        var output = Linear(weights.Weight2, weights.Bias2, hidden, architecture.OutputDimension);
        if (architecture.BatchNorm)
        {
            BatchNorm(output, weights.Norm2Scale!, weights.Norm2Shift!, weights.Norm2RunningMean!, weights.Norm2RunningVariance!, architecture.Epsilon);
        }

        return Normalize(output);
    }

    /// <summary>Returns normalize(mean_j projector_j(input_j)), each projector output already normalised.</summary>
    public static double[] Ensemble(IEnumerable<(ProjectorWeights Weights, double[] Input)> members)
    {
        double[]? sum = null;
        var count = 0;
        foreach (var (weights, input) in members)
        {
            var output = Forward(weights, input);
            sum ??= new double[output.Length];
            for (var i = 0; i < output.Length; i++)
            {
                sum[i] += output[i];
            }

            count++;
        }

        for (var i = 0; i < sum!.Length; i++)
        {
            sum[i] /= count;
        }

        return Normalize(sum);
    }

    /// <summary>Computes the plan's fused embedding of one item from its input rows (by space name).</summary>
    public static double[] Fuse(FusionPlan plan, IReadOnlyDictionary<string, double[]> inputs, IReadOnlyDictionary<string, float>? factors = null)
    {
        var current = inputs[plan.Inputs[0]];
        foreach (var step in plan.Steps)
        {
            var running = current;
            var projection = Ensemble(step.Members.Select(m => (m.Weights, m.Input == FusionStep.Current ? running : inputs[m.Input])));
            if (step.FactorFixed)
            {
                current = projection;
                continue;
            }

            double factor = factors is not null && factors.TryGetValue(step.Bond, out var f) ? f : step.Factor;
            var keep = step.Keep == FusionStep.Current ? running : inputs[step.Keep];
            var mixed = new double[projection.Length];
            for (var i = 0; i < mixed.Length; i++)
            {
                mixed[i] = ((1 - factor) * keep[i]) + (factor * projection[i]);
            }

            current = Normalize(mixed);
        }

        return current;
    }

    /// <summary>Returns x / max(‖x‖, 1e-12).</summary>
    public static double[] Normalize(ReadOnlySpan<double> x)
    {
        var squares = 0.0;
        foreach (var value in x)
        {
            squares += value * value;
        }

        var norm = Math.Max(Math.Sqrt(squares), 1e-12);
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = x[i] / norm;
        }

        return result;
    }

    private static double[] Linear(float[] weight, float[] bias, ReadOnlySpan<double> x, int outputs)
    {
        var result = new double[outputs];
        for (var o = 0; o < outputs; o++)
        {
            double sum = bias[o];
            for (var i = 0; i < x.Length; i++)
            {
                sum += weight[(o * x.Length) + i] * x[i];
            }

            result[o] = sum;
        }

        return result;
    }

    private static void BatchNorm(double[] x, float[] gamma, float[] beta, float[] mean, float[] variance, float epsilon)
    {
        for (var c = 0; c < x.Length; c++)
        {
            x[c] = (gamma[c] * (x[c] - mean[c]) / Math.Sqrt(variance[c] + (double)epsilon)) + beta[c];
        }
    }

    private static double Activate(string activation, double x) => activation switch
    {
        "relu" => Math.Max(x, 0),
        "tanh" => Math.Tanh(x),
        "silu" => x / (1 + Math.Exp(-x)),
        "gelu" => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        _ => throw new ArgumentException($"unknown activation '{activation}'"),
    };

    // Abramowitz–Stegun 7.1.26 is only accurate to 1.5e-7, so erf comes from its Taylor series
    // (|x| < 3) or the continued-fraction tail, both accurate to about 1e-15 in double.
    private static double Erf(double x)
    {
        var sign = Math.Sign(x);
        x = Math.Abs(x);
        if (x < 3)
        {
            double term = x, sum = x;
            for (var n = 1; n < 200; n++)
            {
                term *= -x * x / n;
                var next = term / ((2 * n) + 1);
                sum += next;
                if (Math.Abs(next) < 1e-17)
                {
                    break;
                }
            }

            return sign * 2 / Math.Sqrt(Math.PI) * sum;
        }

        // erfc(x) = exp(-x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), evaluated from the tail.
        var fraction = 0.0;
        for (var k = 60; k >= 1; k--)
        {
            fraction = k / 2.0 / (x + fraction);
        }

        var erfc = Math.Exp(-x * x) / Math.Sqrt(Math.PI) / (x + fraction);
        return sign * (1 - erfc);
    }
}
