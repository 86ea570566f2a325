using System.Globalization;

using FreeBind.Evaluation;
using FreeBind.Evaluation.Search;

namespace FreeBind.Reporting;

/// <summary>Builds the tables and charts of evaluation and sweep reports.</summary>
public static class EvaluationReportBuilder
{
    /// <summary>
    /// Returns a table with one row per task and metric and one column per evaluated space, e.g.
    /// base, bonded and each expert.
    /// </summary>
    /// <param name="title">Table heading.</param>
    /// <param name="columns">Column label (e.g. "base (imagebind)") → that space's results.</param>
    public static ReportTable CompareTable(string title, IReadOnlyList<(string Label, IReadOnlyList<EvaluationResult> Results)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var keys = columns.SelectMany(c => c.Results.SelectMany(r => r.Metrics.Keys.Select(m => (r.Task, Metric: m))))
            .Distinct()
            .OrderBy(k => k.Task, StringComparer.Ordinal)
            .ThenBy(k => k.Metric, MetricNameComparer.Instance)
            .ToList();
        var rows = keys.Select(key => (IReadOnlyList<string>)new[] { key.Task, key.Metric }
                .Concat(columns.Select(c =>
                {
                    var result = c.Results.FirstOrDefault(r => r.Task == key.Task);
                    return result is not null && result.Metrics.TryGetValue(key.Metric, out var value) ? Percent(value) : "–";
                }))
                .ToList())
            .ToList();
        return new ReportTable(title, ["task", "metric", .. columns.Select(c => c.Label)], rows);
    }

    /// <summary>
    /// Draws, for each searched factor, each task's primary metric against that factor with the
    /// other factors at their best values (points of the sweep on that line).
    /// </summary>
    public static IReadOnlyList<RenderedChart> FactorCurves(
        IReadOnlyList<SweepAxis> axes,
        IReadOnlyList<double> best,
        IReadOnlyList<(IReadOnlyList<double> Factors, IReadOnlyList<EvaluationResult> Results)> points)
    {
        ArgumentNullException.ThrowIfNull(axes);
        ArgumentNullException.ThrowIfNull(points);
        var charts = new List<RenderedChart>();
        for (var a = 0; a < axes.Count; a++)
        {
            var line = points
                .Where(p => p.Factors.Select((v, i) => i == a || Math.Abs(v - best[i]) < 1e-9).All(x => x))
                .OrderBy(p => p.Factors[a])
                .ToList();
            var tasks = line.SelectMany(p => p.Results.Select(r => r.Task)).Distinct().Order(StringComparer.Ordinal).ToList();
            var series = tasks.Select(task =>
            {
                var metric = EvaluationTask.Parse(task).PrimaryMetric;
                return new ChartSeries(
                    $"{task} {metric}",
                    line.Select(p => (p.Factors[a], p.Results.First(r => r.Task == task).Metrics[metric])).ToList());
            }).ToList();
            var chart = new LineChart
            {
                Title = $"Metric vs factor {axes[a]}",
                XLabel = $"factor {axes[a]}",
                YLabel = "metric",
                Series = series,
            };
            charts.Add(chart.Render($"factor-{Slug(axes[a].ToString())}"));
        }

        return charts;
    }

    /// <summary>Draws a training loss curve.</summary>
    public static RenderedChart LossCurve(IReadOnlyList<(double Step, double Loss)> points) =>
        new LineChart
        {
            Title = "Training loss",
            XLabel = "step",
            YLabel = "loss",
            Series = [new ChartSeries("loss", points.Select(p => (p.Step, p.Loss)).ToList())],
        }.Render("loss");

    /// <summary>Formats a metric in [0, 1] as a percentage with two decimals.</summary>
    public static string Percent(double value) => (100 * value).ToString("0.00", CultureInfo.InvariantCulture);

    private static string Slug(string text) => new(text.Select(c => char.IsLetterOrDigit(c) ? c : '-').ToArray());
}
