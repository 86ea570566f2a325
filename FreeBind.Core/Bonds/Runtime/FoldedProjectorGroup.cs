namespace FreeBind.Bonds.Runtime;

/// <summary>
/// Projectors that read the same input and share hidden width and activation, with each BatchNorm
/// folded into the Linear before it and the weights laid out for MatMul.
/// </summary>
/// <remarks>
/// BatchNorm in inference mode computes <c>γ · (z − μ) / sqrt(σ² + ε) + β</c> on <c>z = W·x + b</c>.
/// With <c>s = γ / sqrt(σ² + ε)</c> per channel this equals <c>(s ⊙ W)·x + (s ⊙ (b − μ) + β)</c>,
/// so scaling row h of W by s_h and replacing the bias is exact algebra; only float rounding of the
/// folded values differs, and the folding runs in double to keep that to one rounding per value.
/// </remarks>
internal sealed class FoldedProjectorGroup
{
    private FoldedProjectorGroup(
        int count, int inputDimension, int hiddenDimension, int outputDimension, string activation)
    {
        Count = count;
        InputDimension = inputDimension;
        HiddenDimension = hiddenDimension;
        OutputDimension = outputDimension;
        Activation = activation;
        FirstWeight = new float[inputDimension * count * hiddenDimension];
        FirstBias = new float[count * hiddenDimension];
        SecondWeight = new float[count * hiddenDimension * outputDimension];
        SecondBias = new float[count * outputDimension];
    }

    /// <summary>Number of projectors K.</summary>
    public int Count { get; }

    public int InputDimension { get; }

    public int HiddenDimension { get; }

    public int OutputDimension { get; }

    /// <summary>Activation name, lower case.</summary>
    public string Activation { get; }

    /// <summary>First-layer weights of all members side by side, [in, K·hidden] row-major.</summary>
    public float[] FirstWeight { get; }

    /// <summary>First-layer biases, [K·hidden].</summary>
    public float[] FirstBias { get; }

    /// <summary>Second-layer weights, [K, hidden, out] row-major (each member's W2 transposed).</summary>
    public float[] SecondWeight { get; }

    /// <summary>Second-layer biases, [K, 1, out].</summary>
    public float[] SecondBias { get; }

    /// <summary>Member <paramref name="k"/>'s first-layer weight, [in, hidden] row-major.</summary>
    public float[] MemberFirstWeight(int k)
    {
        var width = Count * HiddenDimension;
        var weight = new float[InputDimension * HiddenDimension];
        for (var i = 0; i < InputDimension; i++)
        {
            FirstWeight.AsSpan((i * width) + (k * HiddenDimension), HiddenDimension)
                .CopyTo(weight.AsSpan(i * HiddenDimension, HiddenDimension));
        }

        return weight;
    }

    /// <summary>Member <paramref name="k"/>'s first-layer bias, [hidden].</summary>
    public float[] MemberFirstBias(int k) => FirstBias.AsSpan(k * HiddenDimension, HiddenDimension).ToArray();

    /// <summary>Member <paramref name="k"/>'s second-layer weight, [hidden, out] row-major.</summary>
    public float[] MemberSecondWeight(int k) =>
        SecondWeight.AsSpan(k * HiddenDimension * OutputDimension, HiddenDimension * OutputDimension).ToArray();

    /// <summary>Member <paramref name="k"/>'s second-layer bias, [out].</summary>
    public float[] MemberSecondBias(int k) => SecondBias.AsSpan(k * OutputDimension, OutputDimension).ToArray();

    /// <summary>Folds and packs <paramref name="members"/>, which must share one architecture shape.</summary>
    public static FoldedProjectorGroup Create(IReadOnlyList<ProjectorWeights> members)
    {
        var first = members[0].Architecture;
        var group = new FoldedProjectorGroup(
            members.Count,
            first.InputDimension,
            first.HiddenDimension,
            first.OutputDimension,
            first.Activation.ToLowerInvariant());

        for (var k = 0; k < members.Count; k++)
        {
            group.Pack(k, members[k]);
        }

        return group;
    }

    private void Pack(int k, ProjectorWeights weights)
    {
        var architecture = weights.Architecture;
        var inputs = InputDimension;
        var hidden = HiddenDimension;
        var outputs = OutputDimension;
        var width = Count * hidden;

        var scale1 = ChannelScales(architecture, weights.Norm1Scale, weights.Norm1RunningVariance, hidden);
        for (var h = 0; h < hidden; h++)
        {
            var column = (k * hidden) + h;
            for (var i = 0; i < inputs; i++)
            {
                FirstWeight[(i * width) + column] = (float)(scale1[h] * weights.Weight1[(h * inputs) + i]);
            }

            FirstBias[column] = FoldBias(architecture, weights.Bias1[h], scale1[h], weights.Norm1RunningMean, weights.Norm1Shift, h);
        }

        var scale2 = ChannelScales(architecture, weights.Norm2Scale, weights.Norm2RunningVariance, outputs);
        var offset = k * hidden * outputs;
        for (var o = 0; o < outputs; o++)
        {
            for (var h = 0; h < hidden; h++)
            {
                SecondWeight[offset + (h * outputs) + o] = (float)(scale2[o] * weights.Weight2[(o * hidden) + h]);
            }

            SecondBias[(k * outputs) + o] = FoldBias(architecture, weights.Bias2[o], scale2[o], weights.Norm2RunningMean, weights.Norm2Shift, o);
        }
    }

    private static double[] ChannelScales(ProjectorArchitecture architecture, float[]? gamma, float[]? variance, int channels)
    {
        var scales = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            scales[c] = architecture.BatchNorm
                ? gamma![c] / Math.Sqrt(variance![c] + (double)architecture.Epsilon)
                : 1.0;
        }

        return scales;
    }

    private static float FoldBias(
        ProjectorArchitecture architecture, float bias, double scale, float[]? mean, float[]? beta, int channel) =>
        architecture.BatchNorm
            ? (float)((scale * (bias - (double)mean![channel])) + beta![channel])
            : bias;
}
