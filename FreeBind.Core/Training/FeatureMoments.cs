namespace FreeBind.Training;

/// <summary>
/// Per-feature sums over a shard's rows of one layer's pre-BatchNorm activations, which a
/// coordinator adds up over shards to get the exact batch mean and variance.
/// </summary>
/// <param name="Rows">Number of rows summed.</param>
/// <param name="Sum">Σ over rows of each feature, [features].</param>
/// <param name="SumOfSquares">Σ over rows of each feature squared, [features].</param>
public sealed record FeatureMoments(int Rows, double[] Sum, double[] SumOfSquares)
{
    /// <summary>Adds the moments of several shards, in list order.</summary>
    /// <exception cref="ArgumentException">The list is empty or the feature counts differ.</exception>
    public static FeatureMoments Merge(IReadOnlyList<FeatureMoments> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("no moments to merge; pass one per shard", nameof(parts));
        }

        int features = parts[0].Sum.Length;
        var sum = new double[features];
        var squares = new double[features];
        int rows = 0;
        for (int p = 0; p < parts.Count; p++)
        {
            FeatureMoments part = parts[p];
            if (part.Sum.Length != features || part.SumOfSquares.Length != features)
            {
                throw new ArgumentException(
                    $"shard {p} returned moments of {part.Sum.Length} features, shard 0 of {features}; every shard must train the same projector",
                    nameof(parts));
            }

            rows += part.Rows;
            for (int k = 0; k < features; k++)
            {
                sum[k] += part.Sum[k];
                squares[k] += part.SumOfSquares[k];
            }
        }

        return new FeatureMoments(rows, sum, squares);
    }

    /// <summary>Returns the mean and the biased variance (divided by <see cref="Rows"/>), as BatchNorm normalises with.</summary>
    public BatchStatistics ToStatistics()
    {
        var mean = new double[Sum.Length];
        var variance = new double[Sum.Length];
        for (int k = 0; k < Sum.Length; k++)
        {
            mean[k] = Sum[k] / Rows;

            // Clamped at 0 because E[x²] − mean² can round below zero for a constant feature.
            variance[k] = Math.Max(0, SumOfSquares[k] / Rows - mean[k] * mean[k]);
        }

        return new BatchStatistics(Rows, mean, variance);
    }
}
