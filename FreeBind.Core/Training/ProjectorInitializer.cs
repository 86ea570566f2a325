using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>Seeded initial weights of a projector to train.</summary>
public static class ProjectorInitializer
{
    /// <summary>
    /// Returns weights drawn as PyTorch's defaults draw them: each Linear's weight and bias
    /// uniform in ±1/√fan_in (what <c>nn.Linear.reset_parameters</c> gives), BatchNorm scale 1,
    /// shift 0, running mean 0 and running variance 1. The same seed gives the same weights.
    /// </summary>
    public static ProjectorWeights Create(ProjectorArchitecture architecture, int seed)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var random = new Random(seed);
        var (inputs, hidden, outputs) = (architecture.InputDimension, architecture.HiddenDimension, architecture.OutputDimension);
        var norm = architecture.BatchNorm;
        return new ProjectorWeights
        {
            Architecture = architecture,
            Weight1 = Uniform(random, hidden * inputs, 1 / Math.Sqrt(inputs)),
            Bias1 = Uniform(random, hidden, 1 / Math.Sqrt(inputs)),
            Norm1Scale = norm ? Filled(hidden, 1f) : null,
            Norm1Shift = norm ? new float[hidden] : null,
            Norm1RunningMean = norm ? new float[hidden] : null,
            Norm1RunningVariance = norm ? Filled(hidden, 1f) : null,
            Weight2 = Uniform(random, outputs * hidden, 1 / Math.Sqrt(hidden)),
            Bias2 = Uniform(random, outputs, 1 / Math.Sqrt(hidden)),
            Norm2Scale = norm ? Filled(outputs, 1f) : null,
            Norm2Shift = norm ? new float[outputs] : null,
            Norm2RunningMean = norm ? new float[outputs] : null,
            Norm2RunningVariance = norm ? Filled(outputs, 1f) : null,
        };
    }

    private static float[] Uniform(Random random, int count, double bound)
    {
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((random.NextDouble() * 2) - 1) * bound);
        }

        return values;
    }

    private static float[] Filled(int count, float value) => Enumerable.Repeat(value, count).ToArray();
}
