using FreeBind.Bonds;

namespace FreeBind.Tests.Bonds.Runtime;

/// <summary>Seeded random projector weights and embeddings for runtime tests.</summary>
internal static class RandomProjectors
{
    public static ProjectorWeights Create(
        int seed, int inputs, int hidden, int outputs, string activation = "relu", bool batchNorm = true)
    {
        var random = new Random(seed);
        var scale1 = 1 / Math.Sqrt(inputs);
        var scale2 = 1 / Math.Sqrt(hidden);
        return new ProjectorWeights
        {
            Architecture = new ProjectorArchitecture(inputs, hidden, outputs, activation, batchNorm),
            Weight1 = Uniform(random, hidden * inputs, scale1),
            Bias1 = Uniform(random, hidden, scale1),
            Norm1Scale = batchNorm ? Uniform(random, hidden, 0.5, 1.0) : null,
            Norm1Shift = batchNorm ? Uniform(random, hidden, 0.2) : null,
            Norm1RunningMean = batchNorm ? Uniform(random, hidden, 0.2) : null,
            Norm1RunningVariance = batchNorm ? Uniform(random, hidden, 0.5, 1.0) : null,
            Weight2 = Uniform(random, outputs * hidden, scale2),
            Bias2 = Uniform(random, outputs, scale2),
            Norm2Scale = batchNorm ? Uniform(random, outputs, 0.5, 1.0) : null,
            Norm2Shift = batchNorm ? Uniform(random, outputs, 0.2) : null,
            Norm2RunningMean = batchNorm ? Uniform(random, outputs, 0.2) : null,
            Norm2RunningVariance = batchNorm ? Uniform(random, outputs, 0.5, 1.0) : null,
        };
    }

    /// <summary>Returns <paramref name="rows"/> L2-normalised rows of <paramref name="dimension"/> values, row-major.</summary>
    public static float[] Embeddings(int seed, int rows, int dimension)
    {
        var random = new Random(seed);
        var values = new float[rows * dimension];
        for (var r = 0; r < rows; r++)
        {
            var row = new double[dimension];
            for (var i = 0; i < dimension; i++)
            {
                row[i] = (random.NextDouble() * 2) - 1;
            }

            var normalized = ReferenceProjector.Normalize(row);
            for (var i = 0; i < dimension; i++)
            {
                values[(r * dimension) + i] = (float)normalized[i];
            }
        }

        return values;
    }

    /// <summary>Returns row <paramref name="row"/> of a row-major array as doubles.</summary>
    public static double[] Row(float[] values, int row, int dimension) =>
        values.AsSpan(row * dimension, dimension).ToArray().Select(v => (double)v).ToArray();

    /// <summary>Uniform values in [center − spread, center + spread); center 0 unless given.</summary>
    private static float[] Uniform(Random random, int count, double spread, double center = 0)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)(center + (((random.NextDouble() * 2) - 1) * spread));
        }

        return values;
    }
}
