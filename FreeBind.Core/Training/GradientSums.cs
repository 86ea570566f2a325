namespace FreeBind.Training;

/// <summary>
/// Per-feature sums over rows of the gradient that reaches a BatchNorm layer's output: Σ dy and
/// Σ dy · x̂ (x̂ the normalised input). Summed over the global batch they are exactly the gradients
/// of the BatchNorm shift and scale, and BatchNorm's backward pass needs them on every shard.
/// </summary>
/// <param name="Sum">Σ over rows of dy, [features].</param>
/// <param name="SumOfProducts">Σ over rows of dy · x̂, [features].</param>
/// <param name="LogitProductSum">
/// Σ over the shard's logits of dL/dS · S (S including the scale), the shard's part of the
/// log-scale gradient; 0 for the hidden layer.
/// </param>
public sealed record GradientSums(double[] Sum, double[] SumOfProducts, double LogitProductSum = 0)
{
    /// <summary>Adds the sums of several shards, in list order.</summary>
    /// <exception cref="ArgumentException">The list is empty or the feature counts differ.</exception>
    public static GradientSums Merge(IReadOnlyList<GradientSums> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0)
        {
            throw new ArgumentException("no gradient sums to merge; pass one per shard", nameof(parts));
        }

        int features = parts[0].Sum.Length;
        var sum = new double[features];
        var products = new double[features];
        double logit = 0;
        for (int p = 0; p < parts.Count; p++)
        {
            GradientSums part = parts[p];
            if (part.Sum.Length != features || part.SumOfProducts.Length != features)
            {
                throw new ArgumentException(
                    $"shard {p} returned gradient sums of {part.Sum.Length} features, shard 0 of {features}",
                    nameof(parts));
            }

            logit += part.LogitProductSum;
            for (int k = 0; k < features; k++)
            {
                sum[k] += part.Sum[k];
                products[k] += part.SumOfProducts[k];
            }
        }

        return new GradientSums(sum, products, logit);
    }
}
