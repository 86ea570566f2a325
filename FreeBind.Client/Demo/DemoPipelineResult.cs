using FreeBind.Evaluation;

namespace FreeBind.Client.Demo;

/// <summary>What <see cref="DemoPipeline.RunAsync"/> measured and wrote.</summary>
/// <param name="Columns">Base, bonded (one per profile) and expert results, in table order.</param>
/// <param name="Profiles">Profile name → factor of each searched axis (<c>bond/modality</c>).</param>
/// <param name="AudioFactorCurve">Audio factor of the combination → task → R@1, other factors at the at-expertise profile.</param>
/// <param name="FusedAudioTextRecall">Audio-text R@1 of the fused Parquet that the fuse job wrote for the at-expertise profile.</param>
/// <param name="ReportFolder">Folder holding report.html, report.md and the PNG and SVG charts.</param>
/// <param name="Elapsed">Wall-clock time of the whole pipeline.</param>
internal sealed record DemoPipelineResult(
    IReadOnlyList<(string Label, IReadOnlyList<EvaluationResult> Results)> Columns,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Profiles,
    IReadOnlyList<(double Factor, IReadOnlyDictionary<string, double> Recall)> AudioFactorCurve,
    double FusedAudioTextRecall,
    string ReportFolder,
    TimeSpan Elapsed)
{
    /// <summary>Returns the value of <paramref name="metric"/> for <paramref name="task"/> in the column labelled <paramref name="label"/>.</summary>
    /// <exception cref="KeyNotFoundException">The column or task is missing.</exception>
    public double Metric(string label, string task, string metric = "R@1")
    {
        var column = Columns.FirstOrDefault(c => c.Label == label);
        if (column.Results is null)
        {
            throw new KeyNotFoundException($"column '{label}' not found; columns: {string.Join(", ", Columns.Select(c => c.Label))}.");
        }

        var result = column.Results.FirstOrDefault(r => r.Task == task)
            ?? throw new KeyNotFoundException($"column '{label}' has no task '{task}'.");
        return result.Metrics[metric];
    }
}
