using FreeBind.Bonds;

namespace FreeBind.Tests.Training;

/// <summary>Seeded random projectors and batches for training tests.</summary>
internal static class TrainingTestData
{
    public static ProjectorWeights RandomWeights(ProjectorArchitecture architecture, int seed)
    {
        var random = new Random(seed);
        int input = architecture.InputDimension;
        int hidden = architecture.HiddenDimension;
        int output = architecture.OutputDimension;
        bool norm = architecture.BatchNorm;
        return new ProjectorWeights
        {
            Architecture = architecture,
            Weight1 = Uniform(random, hidden * input, 1 / Math.Sqrt(input)),
            Bias1 = Uniform(random, hidden, 1 / Math.Sqrt(input)),
            Norm1Scale = norm ? Uniform(random, hidden, 0.5, 1) : null,
            Norm1Shift = norm ? Uniform(random, hidden, 0.2) : null,
            Norm1RunningMean = norm ? new float[hidden] : null,
            Norm1RunningVariance = norm ? Enumerable.Repeat(1f, hidden).ToArray() : null,
            Weight2 = Uniform(random, output * hidden, 1 / Math.Sqrt(hidden)),
            Bias2 = Uniform(random, output, 1 / Math.Sqrt(hidden)),
            Norm2Scale = norm ? Uniform(random, output, 0.5, 1) : null,
            Norm2Shift = norm ? Uniform(random, output, 0.2) : null,
            Norm2RunningMean = norm ? new float[output] : null,
            Norm2RunningVariance = norm ? Enumerable.Repeat(1f, output).ToArray() : null,
        };
    }

    /// <summary>Returns values uniform in [center − halfWidth, center + halfWidth].</summary>
    public static float[] Uniform(Random random, int count, double halfWidth, double center = 0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = (float)(center + halfWidth * (2 * random.NextDouble() - 1));
        }

        return values;
    }

    public static float[] Gaussian(Random random, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double u = 1 - random.NextDouble();
            double v = random.NextDouble();
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v));
        }

        return values;
    }
}
