using System.Numerics.Tensors;

using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>Element-wise and per-row steps of the training pass over row-major float buffers.</summary>
internal static class TrainingKernels
{
    /// <summary>Smallest norm F.normalize divides by; PyTorch's default eps.</summary>
    public const float NormalizeEpsilon = 1e-12f;

    private static readonly double InverseSqrtTwoPi = 1 / Math.Sqrt(2 * Math.PI);

    public static void AddRowVector(float[] matrix, int rows, float[] vector)
    {
        int columns = vector.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = matrix.AsSpan(r * columns, columns);
            TensorPrimitives.Add(row, vector, row);
        }
    }

    public static FeatureMoments Moments(float[] matrix, int rows, int columns)
    {
        var sum = new double[columns];
        var squares = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = matrix.AsSpan(r * columns, columns);
            for (int k = 0; k < columns; k++)
            {
                double value = row[k];
                sum[k] += value;
                squares[k] += value * value;
            }
        }

        return new FeatureMoments(rows, sum, squares);
    }

    /// <summary>Returns 1/√(variance + ε) as float, and the mean as float.</summary>
    public static (float[] Mean, float[] InverseStd) Normalizer(BatchStatistics statistics, float epsilon)
    {
        int features = statistics.Mean.Length;
        var mean = new float[features];
        var inverseStd = new float[features];
        for (int k = 0; k < features; k++)
        {
            mean[k] = (float)statistics.Mean[k];
            inverseStd[k] = (float)(1 / Math.Sqrt(statistics.Variance[k] + epsilon));
        }

        return (mean, inverseStd);
    }

    /// <summary>Normalises <paramref name="values"/> in place to x̂ and writes y = γ·x̂ + β to <paramref name="output"/>.</summary>
    public static void BatchNormForward(
        float[] values, int rows, float[] mean, float[] inverseStd, float[] scale, float[] shift, float[] output)
    {
        int columns = mean.Length;
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = values.AsSpan(r * columns, columns);
            TensorPrimitives.Subtract(row, mean, row);
            TensorPrimitives.Multiply(row, inverseStd, row);
            TensorPrimitives.FusedMultiplyAdd(row, scale, shift, output.AsSpan(r * columns, columns));
        }
    }

    /// <summary>
    /// Turns dy (BatchNorm output gradient) into da (input gradient) in place:
    /// da = γ/σ · (dy − Σdy/B − x̂ · Σ(dy·x̂)/B) with the global sums.
    /// </summary>
    public static void BatchNormBackward(
        float[] gradient, int rows, float[] normalized, float[] scale, float[] inverseStd, GradientSums sums, int batchSize)
    {
        int columns = scale.Length;
        var meanGradient = new float[columns];
        var meanProduct = new float[columns];
        var coefficient = new float[columns];
        for (int k = 0; k < columns; k++)
        {
            meanGradient[k] = (float)(sums.Sum[k] / batchSize);
            meanProduct[k] = (float)(sums.SumOfProducts[k] / batchSize);
            coefficient[k] = scale[k] * inverseStd[k];
        }

        var temporary = new float[columns];
        for (int r = 0; r < rows; r++)
        {
            Span<float> row = gradient.AsSpan(r * columns, columns);
            TensorPrimitives.Multiply(normalized.AsSpan(r * columns, columns), meanProduct, temporary);
            TensorPrimitives.Subtract(row, temporary, row);
            TensorPrimitives.Subtract(row, meanGradient, row);
            TensorPrimitives.Multiply(row, coefficient, row);
        }
    }

    /// <summary>Returns Σ over rows of g and of g·x̂, per feature.</summary>
    public static GradientSums ProductSums(float[] gradient, float[] normalized, int rows, int columns, double logitProductSum = 0)
    {
        var sum = new double[columns];
        var products = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> g = gradient.AsSpan(r * columns, columns);
            ReadOnlySpan<float> x = normalized.AsSpan(r * columns, columns);
            for (int k = 0; k < columns; k++)
            {
                sum[k] += g[k];
                products[k] += (double)g[k] * x[k];
            }
        }

        return new GradientSums(sum, products, logitProductSum);
    }

    public static void ColumnSums(float[] matrix, int rows, float[] result)
    {
        int columns = result.Length;
        var sum = new double[columns];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = matrix.AsSpan(r * columns, columns);
            for (int k = 0; k < columns; k++)
            {
                sum[k] += row[k];
            }
        }

        for (int k = 0; k < columns; k++)
        {
            result[k] = (float)sum[k];
        }
    }

    public static void Activate(string activation, ReadOnlySpan<float> input, Span<float> output)
    {
        switch (activation)
        {
            case "relu":
                TensorPrimitives.Max(input, 0f, output);
                break;
            case "tanh":
                TensorPrimitives.Tanh(input, output);
                break;
            case "silu":
                for (int i = 0; i < input.Length; i++)
                {
                    output[i] = input[i] / (1 + MathF.Exp(-input[i]));
                }

                break;
            case "gelu":
                // NOTE: exact erf per element in double: several times slower than relu on large layers.
                for (int i = 0; i < input.Length; i++)
                {
                    double x = input[i];
                    output[i] = (float)(0.5 * x * (1 + ProjectorMath.Erf(x / Math.Sqrt(2))));
                }

                break;
            default:
                throw new ArgumentException(
                    $"activation '{activation}' is not supported; use one of {string.Join(", ", ProjectorMath.Activations)}",
                    nameof(activation));
        }
    }

    /// <summary>Multiplies <paramref name="gradient"/> in place by act′ at the pre-activation <paramref name="input"/>.</summary>
    public static void ActivationBackward(string activation, ReadOnlySpan<float> input, ReadOnlySpan<float> output, Span<float> gradient)
    {
        switch (activation)
        {
            case "relu":
                for (int i = 0; i < gradient.Length; i++)
                {
                    gradient[i] = input[i] > 0 ? gradient[i] : 0;
                }

                break;
            case "tanh":
                for (int i = 0; i < gradient.Length; i++)
                {
                    gradient[i] *= 1 - output[i] * output[i];
                }

                break;
            case "silu":
                for (int i = 0; i < gradient.Length; i++)
                {
                    float sigmoid = 1 / (1 + MathF.Exp(-input[i]));
                    gradient[i] *= sigmoid * (1 + input[i] * (1 - sigmoid));
                }

                break;
            case "gelu":
                for (int i = 0; i < gradient.Length; i++)
                {
                    double x = input[i];
                    double cdf = 0.5 * (1 + ProjectorMath.Erf(x / Math.Sqrt(2)));
                    gradient[i] = (float)(gradient[i] * (cdf + x * Math.Exp(-0.5 * x * x) * InverseSqrtTwoPi));
                }

                break;
            default:
                throw new ArgumentException($"activation '{activation}' is not supported", nameof(activation));
        }
    }

    /// <summary>Writes z = y / max(‖y‖, 1e-12) per row and stores the divisor in <paramref name="norms"/>.</summary>
    public static void NormalizeRows(float[] input, int rows, int columns, float[] output, float[] norms)
    {
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = input.AsSpan(r * columns, columns);
            float norm = MathF.Max((float)Math.Sqrt(SumOfSquares(row)), NormalizeEpsilon);
            norms[r] = norm;
            TensorPrimitives.Divide(row, norm, output.AsSpan(r * columns, columns));
        }
    }

    /// <summary>
    /// Back-propagates dz through z = y / max(‖y‖, ε) in place: dy = (dz − z·(z·dz)) / ‖y‖, or
    /// dz / ε where the norm was clamped.
    /// </summary>
    public static void NormalizeRowsBackward(float[] gradient, float[] normalized, float[] norms, int rows, int columns)
    {
        for (int r = 0; r < rows; r++)
        {
            Span<float> g = gradient.AsSpan(r * columns, columns);
            ReadOnlySpan<float> z = normalized.AsSpan(r * columns, columns);
            if (norms[r] > NormalizeEpsilon)
            {
                float projection = TensorPrimitives.Dot(z, g);
                for (int k = 0; k < columns; k++)
                {
                    g[k] -= z[k] * projection;
                }
            }

            TensorPrimitives.Divide(g, norms[r], g);
        }
    }

    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (float value in values)
        {
            sum += (double)value * value;
        }

        return sum;
    }
}
