using System.Numerics.Tensors;

namespace FreeBind.Evaluation;

/// <summary>Zero-shot classification: items of one modality against class prompts embedded in another.</summary>
/// <remarks>
/// Each class's prototype is the mean of its prompts' embeddings, L2-normalised. Accuracy is the
/// item → class retrieval R@1 over items with a class; mAP is the class → item retrieval mAP over
/// classes with an item, so both reuse the exact, shardable retrieval.
/// </remarks>
public static class ClassificationEvaluator
{
    /// <summary>Evaluates <paramref name="items"/> against the class prompts in <paramref name="prompts"/>.</summary>
    /// <param name="items">Item embeddings (e.g. audio).</param>
    /// <param name="prompts">Class prompt embeddings (e.g. text); rows whose id the labels do not list as a prompt are ignored.</param>
    /// <param name="labels">Item classes and prompt classes.</param>
    /// <param name="partitions">Item partitions for the class → item scan.</param>
    /// <param name="cancellationToken">Stops between query blocks.</param>
    /// <exception cref="ArgumentException">No prompt row has a class in the labels.</exception>
    public static ClassificationMetrics Evaluate(
        EmbeddingMatrix items,
        EmbeddingMatrix prompts,
        EvaluationLabels labels,
        int partitions = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(labels);
        var prototypes = Prototypes(prompts, labels);
        var classSet = prototypes.Ids.ToHashSet(StringComparer.Ordinal);

        var itemClasses = new IReadOnlyList<string>[items.Count];
        var missing = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var all = labels.ItemLabels.GetValueOrDefault(items.Ids[i]) ?? [];
            itemClasses[i] = all.Where(classSet.Contains).ToList();
            missing.UnionWith(all.Where(label => !classSet.Contains(label)));
        }

        var accuracy = RetrievalEvaluator.Evaluate("item->class", items, prototypes, itemClasses, 1, 1, cancellationToken);

        var members = prototypes.Ids.ToDictionary(c => c, _ => new List<string>(), StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var c in itemClasses[i])
            {
                members[c].Add(items.Ids[i]);
            }
        }

        var relevant = prototypes.Ids.Select(c => (IReadOnlyList<string>)members[c]).ToList();
        var map = RetrievalEvaluator.Evaluate("class->item", prototypes, items, relevant, partitions, 1, cancellationToken);

        return new ClassificationMetrics(
            accuracy.Metrics.Queries,
            accuracy.Metrics.SkippedQueries,
            map.Metrics.Queries,
            map.Metrics.SkippedQueries,
            missing.Count,
            accuracy.Metrics.RecallAt1,
            map.Metrics.MeanAveragePrecision);
    }

    /// <summary>Builds one L2-normalised prototype per class from its prompts; rows are classes in ordinal order.</summary>
    /// <exception cref="ArgumentException">No prompt row has a class in the labels.</exception>
    public static EmbeddingMatrix Prototypes(EmbeddingMatrix prompts, EvaluationLabels labels)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(labels);
        var byClass = new SortedDictionary<string, float[]>(StringComparer.Ordinal);
        for (var row = 0; row < prompts.Count; row++)
        {
            if (!labels.PromptClasses.TryGetValue(prompts.Ids[row], out var className))
            {
                continue;
            }

            if (!byClass.TryGetValue(className, out var sum))
            {
                byClass[className] = sum = new float[prompts.Dimension];
            }

            TensorPrimitives.Add(sum, prompts.Row(row), sum);
        }

        if (byClass.Count == 0)
        {
            throw new ArgumentException(
                $"none of the {prompts.Count} prompt embeddings is listed as a class prompt in the labels manifest: " +
                "add rows like {\"id\": \"<prompt id>\", \"class\": \"<class>\"}.", nameof(labels));
        }

        var values = new float[byClass.Count * prompts.Dimension];
        var index = 0;
        foreach (var sum in byClass.Values)
        {
            var norm = Math.Max(TensorPrimitives.Norm(sum), 1e-12f);
            TensorPrimitives.Divide(sum, norm, values.AsSpan(index++ * prompts.Dimension, prompts.Dimension));
        }

        return new EmbeddingMatrix(byClass.Keys.ToList(), prompts.Dimension, values);
    }
}
