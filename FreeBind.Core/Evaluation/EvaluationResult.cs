namespace FreeBind.Evaluation;

/// <summary>The result of one task on one space, as written to JSON and Parquet.</summary>
/// <param name="Task">Canonical task name, e.g. <c>retrieval:text-audio</c>.</param>
/// <param name="Space">Space (or fused space folder, e.g. <c>imagebind++.default</c>) that was evaluated.</param>
/// <param name="Metrics">
/// Metric name → value in [0, 1]. Retrieval: <c>a-&gt;b/R@1</c>, <c>a-&gt;b/R@5</c>, <c>a-&gt;b/R@10</c>,
/// <c>a-&gt;b/mAP</c> for both directions, and <c>R@1</c>, <c>R@5</c>, <c>R@10</c>, <c>mAP</c> as the
/// mean of the two directions. Classification: <c>accuracy</c> and <c>mAP</c>.
/// </param>
/// <param name="Counts">Count name → value: queries, skipped queries, gallery size, classes, empty classes.</param>
public sealed record EvaluationResult(
    string Task,
    string Space,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyDictionary<string, long> Counts)
{
    /// <summary>Builds the result of a retrieval task from its two directions.</summary>
    public static EvaluationResult FromRetrieval(string task, string space, RetrievalMetrics forward, RetrievalMetrics backward)
    {
        ArgumentNullException.ThrowIfNull(forward);
        ArgumentNullException.ThrowIfNull(backward);
        var metrics = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var direction in new[] { forward, backward })
        {
            metrics[$"{direction.Direction}/R@1"] = direction.RecallAt1;
            metrics[$"{direction.Direction}/R@5"] = direction.RecallAt5;
            metrics[$"{direction.Direction}/R@10"] = direction.RecallAt10;
            metrics[$"{direction.Direction}/mAP"] = direction.MeanAveragePrecision;
            counts[$"{direction.Direction}/queries"] = direction.Queries;
            counts[$"{direction.Direction}/skipped queries"] = direction.SkippedQueries;
            counts[$"{direction.Direction}/gallery"] = direction.GallerySize;
        }

        metrics["R@1"] = (forward.RecallAt1 + backward.RecallAt1) / 2;
        metrics["R@5"] = (forward.RecallAt5 + backward.RecallAt5) / 2;
        metrics["R@10"] = (forward.RecallAt10 + backward.RecallAt10) / 2;
        metrics["mAP"] = (forward.MeanAveragePrecision + backward.MeanAveragePrecision) / 2;
        return new EvaluationResult(task, space, metrics, counts);
    }

    /// <summary>Builds the result of a classification task.</summary>
    public static EvaluationResult FromClassification(string task, string space, ClassificationMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new EvaluationResult(
            task,
            space,
            new SortedDictionary<string, double>(StringComparer.Ordinal)
            {
                ["accuracy"] = metrics.Accuracy,
                ["mAP"] = metrics.MeanAveragePrecision,
            },
            new SortedDictionary<string, long>(StringComparer.Ordinal)
            {
                ["items"] = metrics.Items,
                ["unlabelled items"] = metrics.UnlabelledItems,
                ["classes"] = metrics.Classes,
                ["empty classes"] = metrics.EmptyClasses,
                ["classes without prompts"] = metrics.ClassesWithoutPrompts,
            });
    }
}
