using System.Security.Cryptography;
using System.Text;

using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>The maths of pseudo embeddings: softmax-weighted neighbour means and seeded input noise.</summary>
public static class PseudoEmbedding
{
    /// <summary>
    /// Computes normalize(Σ wⱼ vⱼ) with wⱼ = softmax(sⱼ / τ) over the neighbours' scores sⱼ and
    /// value embeddings vⱼ; sums run in double precision.
    /// </summary>
    /// <param name="neighbours">At least one neighbour; all values have one dimension.</param>
    /// <param name="temperature">Softmax temperature τ, greater than 0.</param>
    public static float[] WeightedMean(IReadOnlyList<MemoryBankNeighbour> neighbours, float temperature)
    {
        ArgumentNullException.ThrowIfNull(neighbours);
        ArgumentOutOfRangeException.ThrowIfZero(neighbours.Count);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(temperature);

        // Subtracting the largest score keeps exp() from overflowing at small temperatures.
        var maxScore = neighbours.Max(n => (double)n.Score);
        var weights = neighbours.Select(n => Math.Exp((n.Score - maxScore) / temperature)).ToArray();
        var total = weights.Sum();

        var dimension = neighbours[0].Value.Length;
        var sum = new double[dimension];
        for (var j = 0; j < neighbours.Count; j++)
        {
            var weight = weights[j] / total;
            var value = neighbours[j].Value;
            for (var i = 0; i < dimension; i++)
            {
                sum[i] += weight * value[i];
            }
        }

        return Normalize(sum);
    }

    /// <summary>
    /// Adds Gaussian noise N(0, σ²) to each component and L2-normalises the result. The noise
    /// depends only on the seed, the query's modality and its id, so it does not change with
    /// batching, partitioning or the data mode.
    /// </summary>
    /// <param name="vector">The embedding; it is not changed.</param>
    /// <param name="sigma">Standard deviation σ; 0 returns a normalised copy.</param>
    /// <param name="seed">Dataset seed.</param>
    /// <param name="modality">Query modality.</param>
    /// <param name="queryId">Query id.</param>
    public static float[] AddNoise(ReadOnlySpan<float> vector, float sigma, int seed, Modality modality, string queryId)
    {
        ArgumentNullException.ThrowIfNull(queryId);

        var noisy = new double[vector.Length];
        var random = sigma > 0f ? new Random(RowSeed(seed, modality.ToName(), queryId)) : null;
        for (var i = 0; i < vector.Length; i++)
        {
            noisy[i] = vector[i] + (random is null ? 0.0 : sigma * NextGaussian(random));
        }

        return Normalize(noisy);
    }

    /// <summary>Returns a seed derived from the dataset seed and string parts, stable across runs and platforms.</summary>
    internal static int RowSeed(int seed, params string[] parts)
    {
        var text = seed.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\u001f" + string.Join('\u001f', parts);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return BitConverter.ToInt32(hash, 0);
    }

    /// <summary>Divides by the L2 norm, floored at 1e-12 so a zero vector stays zero.</summary>
    internal static float[] Normalize(double[] vector)
    {
        var norm = Math.Max(Math.Sqrt(vector.Sum(v => v * v)), 1e-12);
        var result = new float[vector.Length];
        for (var i = 0; i < vector.Length; i++)
        {
            result[i] = (float)(vector[i] / norm);
        }

        return result;
    }

    /// <summary>Draws a standard normal value with the Box–Muller transform.</summary>
    private static double NextGaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
