namespace FreeBind.Evaluation.Search;

/// <summary>
/// What a sweep maximises: one metric of one task (<c>retrieval:text-audio:R@1</c>,
/// <c>classification:audio:mAP</c>) or <c>balanced</c>, the mean over every task of its primary
/// metric (mean R@1 for retrieval, mAP for classification).
/// </summary>
/// <param name="Name">The objective as given.</param>
/// <param name="Task">Canonical task name, or null for balanced.</param>
/// <param name="Metric">Metric key in <see cref="EvaluationResult.Metrics"/>, or null for balanced.</param>
public sealed record SweepObjective(string Name, string? Task, string? Metric)
{
    /// <summary>Name of the balanced objective.</summary>
    public const string Balanced = "balanced";

    /// <summary>Parses an objective; a task-metric objective's task must be among <paramref name="tasks"/>.</summary>
    /// <exception cref="FormatException">The objective has no metric or names a task that is not evaluated.</exception>
    public static SweepObjective Parse(string text, IReadOnlyList<EvaluationTask> tasks)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(tasks);
        if (text.Trim() == Balanced)
        {
            return new SweepObjective(Balanced, null, null);
        }

        var split = text.LastIndexOf(':');
        if (split < 0 || text.IndexOf(':') == split)
        {
            throw new FormatException(
                $"objective '{text}' is invalid: use '{Balanced}' or <task>:<metric>, e.g. retrieval:text-audio:R@1.");
        }

        var task = EvaluationTask.Parse(text[..split]);
        if (!tasks.Any(t => t.Name == task.Name))
        {
            throw new FormatException(
                $"objective '{text}' names task '{task.Name}', which is not evaluated: add --task {task.Name}.");
        }

        return new SweepObjective(text.Trim(), task.Name, text[(split + 1)..].Trim());
    }

    /// <summary>Returns the objective's value for one point's results.</summary>
    /// <exception cref="KeyNotFoundException">The metric is not among the task's metrics.</exception>
    public double Score(IReadOnlyList<EvaluationResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (Task is null)
        {
            return results.Average(r => r.Metrics[EvaluationTask.Parse(r.Task).PrimaryMetric]);
        }

        var result = results.Single(r => r.Task == Task);
        return result.Metrics.TryGetValue(Metric!, out var value)
            ? value
            : throw new KeyNotFoundException(
                $"objective '{Name}': task '{Task}' has no metric '{Metric}'; it has {string.Join(", ", result.Metrics.Keys)}.");
    }

    /// <summary>Returns a profile name made from the objective, e.g. <c>sweep-retrieval-text-audio-R-1</c>.</summary>
    public string DefaultProfileName() =>
        "sweep-" + new string(Name.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '-').ToArray()).Replace("--", "-", StringComparison.Ordinal).Trim('-');
}
