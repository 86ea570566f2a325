using FreeBind.Media;

namespace FreeBind.Evaluation;

/// <summary>Runs an <see cref="EvaluationTask"/> on embeddings held in memory.</summary>
public static class TaskEvaluator
{
    /// <summary>Evaluates <paramref name="task"/>.</summary>
    /// <param name="task">The task.</param>
    /// <param name="space">Space name written to the result.</param>
    /// <param name="embeddings">The space's embeddings of each modality the task needs.</param>
    /// <param name="labels">The labels manifest, or <see cref="EvaluationLabels.Empty"/> to match items by id.</param>
    /// <param name="partitions">Gallery partitions.</param>
    /// <param name="cancellationToken">Stops between query blocks.</param>
    /// <exception cref="ArgumentException">A modality the task needs is missing.</exception>
    public static EvaluationResult Evaluate(
        EvaluationTask task,
        string space,
        IReadOnlyDictionary<Modality, EmbeddingMatrix> embeddings,
        EvaluationLabels labels,
        int partitions = 1,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(embeddings);
        var first = Get(embeddings, task.First, task, space);
        var second = Get(embeddings, task.Second, task, space);
        if (task.Kind == EvaluationTaskKind.Classification)
        {
            var metrics = ClassificationEvaluator.Evaluate(first, second, labels, partitions, cancellationToken);
            return EvaluationResult.FromClassification(task.Name, space, metrics);
        }

        var forward = RetrievalEvaluator.Evaluate(
            $"{task.First.ToName()}->{task.Second.ToName()}",
            first,
            second,
            Relevance.ByGroups(first.Ids, second.Ids, labels),
            partitions,
            cancellationToken: cancellationToken);
        var backward = RetrievalEvaluator.Evaluate(
            $"{task.Second.ToName()}->{task.First.ToName()}",
            second,
            first,
            Relevance.ByGroups(second.Ids, first.Ids, labels),
            partitions,
            cancellationToken: cancellationToken);
        return EvaluationResult.FromRetrieval(task.Name, space, forward.Metrics, backward.Metrics);
    }

    private static EmbeddingMatrix Get(
        IReadOnlyDictionary<Modality, EmbeddingMatrix> embeddings, Modality modality, EvaluationTask task, string space) =>
        embeddings.TryGetValue(modality, out var matrix)
            ? matrix
            : throw new ArgumentException(
                $"task '{task.Name}' needs {modality.ToName()} embeddings of space '{space}', but none were found: " +
                $"embed that modality or pick another task.", nameof(embeddings));
}
