namespace FreeBind.Bonds;

/// <summary>
/// Reference forward pass of a projector in plain C#: Linear → BatchNorm1d (running statistics)
/// → activation → Linear → BatchNorm1d → L2 normalisation, accumulated in double.
/// </summary>
/// <remarks>
/// Other implementations (ONNX graphs, batched kernels) are tested against this one, so it is
/// written for clarity, not speed. It matches PyTorch's eval-mode output followed by
/// <c>F.normalize(x, dim=-1)</c>, which divides by <c>max(‖x‖₂, 1e-12)</c>.
/// </remarks>
public static class ProjectorMath
{
    /// <summary>Activation names a projector accepts.</summary>
    public static IReadOnlyList<string> Activations { get; } = ["relu", "gelu", "silu", "tanh"];

    private const double NormalizeEpsilon = 1e-12;

    /// <summary>Computes the projector output of one embedding.</summary>
    /// <param name="weights">Projector parameters.</param>
    /// <param name="input">Embedding of length <see cref="ProjectorArchitecture.InputDimension"/>.</param>
    /// <param name="output">Receives the L2-normalised output, of length <see cref="ProjectorArchitecture.OutputDimension"/>.</param>
    /// <exception cref="ArgumentException">The spans or the weight arrays have the wrong length, or the activation is unknown.</exception>
    public static void Forward(ProjectorWeights weights, ReadOnlySpan<float> input, Span<float> output)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Validate(weights);
        ProjectorArchitecture architecture = weights.Architecture;
        CheckLength(nameof(input), input.Length, architecture.InputDimension);
        CheckLength(nameof(output), output.Length, architecture.OutputDimension);

        ForwardOne(weights, input, output);
    }

    /// <summary>Computes the projector outputs of a batch of embeddings stored row-major.</summary>
    /// <param name="weights">Projector parameters.</param>
    /// <param name="inputs">[batchSize, InputDimension] embeddings, row-major.</param>
    /// <param name="outputs">Receives [batchSize, OutputDimension] L2-normalised outputs, row-major.</param>
    /// <param name="batchSize">Number of rows; zero is allowed.</param>
    /// <exception cref="ArgumentException">The spans or the weight arrays have the wrong length, or the activation is unknown.</exception>
    public static void Forward(
        ProjectorWeights weights,
        ReadOnlySpan<float> inputs,
        Span<float> outputs,
        int batchSize)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentOutOfRangeException.ThrowIfNegative(batchSize);
        Validate(weights);
        int inputDimension = weights.Architecture.InputDimension;
        int outputDimension = weights.Architecture.OutputDimension;
        CheckLength(nameof(inputs), inputs.Length, (long)batchSize * inputDimension);
        CheckLength(nameof(outputs), outputs.Length, (long)batchSize * outputDimension);

        for (int row = 0; row < batchSize; row++)
        {
            ForwardOne(
                weights,
                inputs.Slice(row * inputDimension, inputDimension),
                outputs.Slice(row * outputDimension, outputDimension));
        }
    }

    /// <summary>
    /// Checks that the architecture is valid and that every weight array has the length it
    /// implies; BatchNorm arrays must be present exactly when <see cref="ProjectorArchitecture.BatchNorm"/> is true.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension, array length or the activation is invalid.</exception>
    public static void Validate(ProjectorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ProjectorArchitecture architecture = weights.Architecture;
        int inputDimension = architecture.InputDimension;
        int hiddenDimension = architecture.HiddenDimension;
        int outputDimension = architecture.OutputDimension;
        if (inputDimension <= 0 || hiddenDimension <= 0 || outputDimension <= 0)
        {
            throw new ArgumentException(
                $"projector dimensions {inputDimension} → {hiddenDimension} → {outputDimension} are invalid; every dimension must be positive",
                nameof(weights));
        }

        if (!Activations.Contains(architecture.Activation))
        {
            throw new ArgumentException(
                $"projector activation '{architecture.Activation}' is not supported; use one of {string.Join(", ", Activations)}",
                nameof(weights));
        }

        if (architecture.BatchNorm && !(architecture.Epsilon > 0))
        {
            throw new ArgumentException(
                $"BatchNorm epsilon {architecture.Epsilon} is invalid; it must be positive (PyTorch's default is 1e-5)",
                nameof(weights));
        }

        CheckArray(nameof(ProjectorWeights.Weight1), weights.Weight1, (long)hiddenDimension * inputDimension);
        CheckArray(nameof(ProjectorWeights.Bias1), weights.Bias1, hiddenDimension);
        CheckArray(nameof(ProjectorWeights.Weight2), weights.Weight2, (long)outputDimension * hiddenDimension);
        CheckArray(nameof(ProjectorWeights.Bias2), weights.Bias2, outputDimension);
        CheckNorm(weights.Norm1Scale, nameof(ProjectorWeights.Norm1Scale), architecture.BatchNorm, hiddenDimension);
        CheckNorm(weights.Norm1Shift, nameof(ProjectorWeights.Norm1Shift), architecture.BatchNorm, hiddenDimension);
        CheckNorm(weights.Norm1RunningMean, nameof(ProjectorWeights.Norm1RunningMean), architecture.BatchNorm, hiddenDimension);
        CheckNorm(weights.Norm1RunningVariance, nameof(ProjectorWeights.Norm1RunningVariance), architecture.BatchNorm, hiddenDimension);
        CheckNorm(weights.Norm2Scale, nameof(ProjectorWeights.Norm2Scale), architecture.BatchNorm, outputDimension);
        CheckNorm(weights.Norm2Shift, nameof(ProjectorWeights.Norm2Shift), architecture.BatchNorm, outputDimension);
        CheckNorm(weights.Norm2RunningMean, nameof(ProjectorWeights.Norm2RunningMean), architecture.BatchNorm, outputDimension);
        CheckNorm(weights.Norm2RunningVariance, nameof(ProjectorWeights.Norm2RunningVariance), architecture.BatchNorm, outputDimension);
    }

    /// <summary>Applies a named activation: relu, gelu (exact erf form), silu or tanh.</summary>
    /// <exception cref="ArgumentException">The activation is not one of <see cref="Activations"/>.</exception>
    public static double Activate(string activation, double x) => activation switch
    {
        "relu" => x > 0 ? x : 0,
        "gelu" => 0.5 * x * (1 + Erf(x / Math.Sqrt(2))),
        "silu" => x / (1 + Math.Exp(-x)),
        "tanh" => Math.Tanh(x),
        _ => throw new ArgumentException(
            $"activation '{activation}' is not supported; use one of {string.Join(", ", Activations)}",
            nameof(activation)),
    };

    /// <summary>
    /// Computes the error function erf(x) with an absolute error below 1e-13 (checked against
    /// Python's math.erf on [−7, 7]).
    /// </summary>
    /// <remarks>
    /// Uses the Maclaurin series for |x| ≤ 3 and the continued fraction of erfc for larger |x|.
    /// Beyond |x| = 6, erfc is below 3e-17, so the result is ±1.
    /// </remarks>
    public static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        double magnitude = Math.Abs(x);
        double result;
        if (magnitude <= 3)
        {
            result = ErfSeries(magnitude);
        }
        else if (magnitude < 6)
        {
            result = 1 - ErfcContinuedFraction(magnitude);
        }
        else
        {
            result = 1;
        }

        return x < 0 ? -result : result;
    }

    private static void ForwardOne(ProjectorWeights weights, ReadOnlySpan<float> input, Span<float> output)
    {
        ProjectorArchitecture architecture = weights.Architecture;
        int inputDimension = architecture.InputDimension;
        int hiddenDimension = architecture.HiddenDimension;
        int outputDimension = architecture.OutputDimension;

        var hidden = new double[hiddenDimension];
        for (int j = 0; j < hiddenDimension; j++)
        {
            double sum = weights.Bias1[j];
            int rowStart = j * inputDimension;
            for (int i = 0; i < inputDimension; i++)
            {
                sum += (double)weights.Weight1[rowStart + i] * input[i];
            }

            if (architecture.BatchNorm)
            {
                sum = BatchNorm(
                    sum,
                    weights.Norm1RunningMean![j],
                    weights.Norm1RunningVariance![j],
                    weights.Norm1Scale![j],
                    weights.Norm1Shift![j],
                    architecture.Epsilon);
            }

            hidden[j] = Activate(architecture.Activation, sum);
        }

        var projected = new double[outputDimension];
        double squaredNorm = 0;
        for (int k = 0; k < outputDimension; k++)
        {
            double sum = weights.Bias2[k];
            int rowStart = k * hiddenDimension;
            for (int j = 0; j < hiddenDimension; j++)
            {
                sum += weights.Weight2[rowStart + j] * hidden[j];
            }

            if (architecture.BatchNorm)
            {
                sum = BatchNorm(
                    sum,
                    weights.Norm2RunningMean![k],
                    weights.Norm2RunningVariance![k],
                    weights.Norm2Scale![k],
                    weights.Norm2Shift![k],
                    architecture.Epsilon);
            }

            projected[k] = sum;
            squaredNorm += sum * sum;
        }

        double scale = 1 / Math.Max(Math.Sqrt(squaredNorm), NormalizeEpsilon);
        for (int k = 0; k < outputDimension; k++)
        {
            output[k] = (float)(projected[k] * scale);
        }
    }

    private static double BatchNorm(double x, double mean, double variance, double scale, double shift, float epsilon)
        => (x - mean) / Math.Sqrt(variance + epsilon) * scale + shift;

    // erf(x) = 2/√π · Σ (−1)ⁿ x^(2n+1) / (n! (2n+1)). For x ≤ 3 the largest term is about
    // e^9 ≈ 8e3, so cancellation costs about 4 of double's 16 digits.
    private static double ErfSeries(double x)
    {
        double xSquared = x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++)
        {
            term *= -xSquared / n;
            double contribution = term / (2 * n + 1);
            sum += contribution;
            if (Math.Abs(contribution) < 1e-17 * Math.Abs(sum))
            {
                break;
            }
        }

        return 2 / Math.Sqrt(Math.PI) * sum;
    }

    // erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …))))), evaluated from
    // the tail upwards. For x > 3, 60 levels converge far below 1e-16.
    private static double ErfcContinuedFraction(double x)
    {
        double fraction = x;
        for (int k = 60; k >= 1; k--)
        {
            fraction = x + k / 2.0 / fraction;
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / fraction;
    }

    private static void CheckLength(string name, int actual, long expected)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"{name} has length {actual}, expected {expected}", name);
        }
    }

    private static void CheckArray(string name, float[]? values, long expected)
    {
        if (values is null)
        {
            throw new ArgumentException($"projector weight {name} is missing; expected {expected} values", "weights");
        }

        if (values.Length != expected)
        {
            throw new ArgumentException(
                $"projector weight {name} has {values.Length} values, expected {expected} for the declared architecture",
                "weights");
        }
    }

    private static void CheckNorm(float[]? values, string name, bool batchNorm, int expected)
    {
        if (batchNorm)
        {
            CheckArray(name, values, expected);
        }
        else if (values is not null)
        {
            throw new ArgumentException(
                $"projector weight {name} is set but the architecture has BatchNorm = false; drop it or set BatchNorm",
                "weights");
        }
    }
}
