using System.Globalization;

using FreeBind.Evaluation;
using FreeBind.Evaluation.Search;
using FreeBind.Reporting;

namespace FreeBind.Client.Demo;

/// <summary>Builds the demo's report: the comparison table, the profiles, the audio-factor curve and the training loss curves.</summary>
internal static class DemoReport
{
    /// <summary>Builds the report; reads <c>training/&lt;bond&gt;/metrics/&lt;mode&gt;.csv</c> under <paramref name="trainingRoot"/>.</summary>
    public static async Task<RunReport> BuildAsync(
        string fusedName,
        IReadOnlyList<(string Label, IReadOnlyList<EvaluationResult> Results)> columns,
        IReadOnlyDictionary<string, IReadOnlyList<(SweepAxis Axis, double Factor)>> profiles,
        IReadOnlyList<(double Factor, IReadOnlyDictionary<string, double> Recall)> curve,
        string trainingRoot,
        IReadOnlyList<string> modes,
        CancellationToken cancellationToken)
    {
        var tables = new List<ReportTable>
        {
            EvaluationReportBuilder.CompareTable("Base vs bonded vs expert (%)", columns),
            ProfileTable(profiles),
            CurveTable(curve),
        };

        var tasks = curve[0].Recall.Keys.Order(StringComparer.Ordinal).ToList();
        var charts = new List<RenderedChart>
        {
            new LineChart
            {
                Title = $"R@1 vs audio factor of {DemoBondFile.Combination}",
                XLabel = $"factor {DemoBondFile.Combination}/audio",
                YLabel = "R@1",
                Series = tasks.Select(t => new ChartSeries(t, curve.Select(p => (p.Factor, p.Recall[t])).ToList())).ToList(),
            }.Render("recall-vs-audio-factor"),
        };

        foreach (var bond in new[] { DemoBondFile.Displacement, DemoBondFile.Combination })
        {
            var series = new List<ChartSeries>();
            foreach (var mode in modes)
            {
                var path = Path.Combine(trainingRoot, "training", bond, "metrics", $"{mode}.csv");
                var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
                series.Add(new ChartSeries(mode, TrainLoss(text, path)));
            }

            charts.Add(new LineChart
            {
                Title = $"Training loss of {bond} (one projector per data mode)",
                XLabel = "step",
                YLabel = "train loss",
                Series = series,
            }.Render($"loss-{bond}"));
        }

        return new RunReport($"FreeBind demo: {fusedName} on the demo world", tables, charts);
    }

    /// <summary>Returns the (step, loss) points of the <c>train</c> rows of a training metrics CSV (header step,epoch,kind,loss,...).</summary>
    /// <exception cref="FormatException">The header lacks step, kind or loss, or a train row's value is not a number.</exception>
    public static IReadOnlyList<(double Step, double Loss)> TrainLoss(string csv, string displayName)
    {
        var lines = csv.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var header = lines.Count == 0 ? [] : lines[0].Split(',').ToList();
        var (step, kind, loss) = (header.IndexOf("step"), header.IndexOf("kind"), header.IndexOf("loss"));
        if (step < 0 || kind < 0 || loss < 0)
        {
            throw new FormatException($"training metrics '{displayName}': the header must name step, kind and loss.");
        }

        var points = new List<(double, double)>();
        foreach (var fields in lines.Skip(1).Select(l => l.Split(',')).Where(f => f.Length > kind && f[kind] == "train"))
        {
            if (fields.Length <= Math.Max(step, loss)
                || !double.TryParse(fields[step], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                || !double.TryParse(fields[loss], NumberStyles.Float, CultureInfo.InvariantCulture, out var l))
            {
                throw new FormatException($"training metrics '{displayName}': train row '{string.Join(',', fields)}' lacks a numeric step or loss.");
            }

            points.Add((s, l));
        }

        return points;
    }

    private static ReportTable ProfileTable(IReadOnlyDictionary<string, IReadOnlyList<(SweepAxis Axis, double Factor)>> profiles)
    {
        var axes = profiles.Values.First().Select(a => a.Axis.ToString()).ToList();
        var rows = profiles
            .Select(p => (IReadOnlyList<string>)[p.Key, .. p.Value.Select(a => a.Factor.ToString("0.00", CultureInfo.InvariantCulture))])
            .ToList();
        return new ReportTable("Swept profiles (factor per bond/modality)", ["profile", .. axes], rows);
    }

    private static ReportTable CurveTable(IReadOnlyList<(double Factor, IReadOnlyDictionary<string, double> Recall)> curve)
    {
        var tasks = curve[0].Recall.Keys.Order(StringComparer.Ordinal).ToList();
        var rows = curve
            .Select(p => (IReadOnlyList<string>)[
                p.Factor.ToString("0.0", CultureInfo.InvariantCulture),
                .. tasks.Select(t => EvaluationReportBuilder.Percent(p.Recall[t]))])
            .ToList();
        return new ReportTable(
            $"R@1 (%) vs {DemoBondFile.Combination}/audio, other factors at {DemoPipeline.AtExpertise}",
            ["audio factor", .. tasks],
            rows);
    }
}
