using System.Xml.Linq;

using FreeBind.Evaluation;
using FreeBind.Evaluation.Search;
using FreeBind.Media;
using FreeBind.Reporting;
using FreeBind.Storage;

using SkiaSharp;

namespace FreeBind.Tests.Evaluation;

public sealed class ReportTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "freebind-report-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static EvaluationResult Result(string task, double r1) =>
        new(task, "s", new Dictionary<string, double> { ["R@1"] = r1, ["mAP"] = r1 / 2 }, new Dictionary<string, long>());

    private static RunReport Report()
    {
        var axes = new[] { new SweepAxis("c-clap", Modality.Audio) };
        var points = Enumerable.Range(0, 11)
            .Select(i => ((IReadOnlyList<double>)[i / 10.0], (IReadOnlyList<EvaluationResult>)[Result("retrieval:text-audio", i / 20.0)]))
            .ToList();
        var charts = EvaluationReportBuilder.FactorCurves(axes, [0.5], points).ToList();
        charts.Add(EvaluationReportBuilder.LossCurve(LossCurveReader.ParseCsv("step,loss\n0,2.5\n10,1.2\n20,0.7\n", "loss.csv")));
        var table = EvaluationReportBuilder.CompareTable(
            "base vs bonded vs expert",
            [("base", [Result("retrieval:text-audio", 0.2)]), ("bonded", [Result("retrieval:text-audio", 0.3)]), ("expert", [])]);
        return new RunReport("sweep <test>", [table], charts);
    }

    [Fact]
    public void Png_HasSignatureAndDecodes()
    {
        foreach (var chart in Report().Charts)
        {
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, chart.Png.Take(8));
            using var bitmap = SKBitmap.Decode(chart.Png);
            Assert.NotNull(bitmap);
            Assert.Equal(720, bitmap.Width);
        }
    }

    [Fact]
    public void Svg_ParsesAsXml()
    {
        foreach (var chart in Report().Charts)
        {
            var document = XDocument.Parse(chart.Svg);
            Assert.Equal("svg", document.Root!.Name.LocalName);
        }
    }

    [Fact]
    public void Table_FormatsPercentAndMissing()
    {
        var table = Report().Tables[0];

        Assert.Equal(["task", "metric", "base", "bonded", "expert"], table.Headers);
        Assert.Equal(["retrieval:text-audio", "R@1", "20.00", "30.00", "–"], table.Rows[0]);
    }

    [Fact]
    public async Task Files_Written()
    {
        var store = new LocalBlobStore(_folder);

        var written = await Report().WriteAsync(store, "reports/run", CancellationToken.None);

        Assert.Contains("reports/run/report.html", written);
        Assert.Contains("reports/run/report.md", written);
        Assert.Contains("reports/run/loss.png", written);
        Assert.Contains("reports/run/loss.svg", written);
        var html = await File.ReadAllTextAsync(Path.Combine(_folder, "reports/run/report.html"));
        Assert.Contains("<svg", html);
        Assert.Contains("sweep &lt;test&gt;", html);
        var markdown = await File.ReadAllTextAsync(Path.Combine(_folder, "reports/run/report.md"));
        Assert.Contains("![Training loss](loss.png)", markdown);
    }

    [Fact]
    public void LossCsv_InvalidLine_Throws()
    {
        var error = Assert.Throws<FormatException>(() => LossCurveReader.ParseCsv("step,loss\n1,x\n", "l.csv"));
        Assert.Contains("line 2", error.Message);
    }

    [ChromiumFact]
    public async Task Html_OpensInHeadlessChromium()
    {
        var html = await WriteReportAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var check = await HeadlessChromium.CheckAsync(html, timeout.Token);

        Assert.Empty(check.Problems);
        Assert.Equal(Report().Charts.Count, check.Svgs);
    }

    [ChromiumFact]
    public async Task HeadlessCheck_ScriptError_Reported()
    {
        var html = await WriteReportAsync();
        await File.WriteAllTextAsync(
            html, (await File.ReadAllTextAsync(html)).Replace("</body>", "<script>throw new Error('chart data missing');</script></body>"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var check = await HeadlessChromium.CheckAsync(html, timeout.Token);

        Assert.Contains(check.Problems, p => p.Contains("Uncaught Error: chart data missing", StringComparison.Ordinal));
    }

    [ChromiumFact]
    public async Task HeadlessCheck_BrokenImages_Reported()
    {
        var html = await WriteReportAsync();
        var text = (await File.ReadAllTextAsync(html))
            .Replace("</body>", "<img src=\"missing.png\" alt=\"missing\"></body>");
        var firstSvg = text.IndexOf("<svg", StringComparison.Ordinal);
        var firstSvgEnd = text.IndexOf('>', firstSvg) + 1;
        var firstSvgClose = text.IndexOf("</svg>", firstSvgEnd, StringComparison.Ordinal);
        text = text[..firstSvgEnd] + text[firstSvgClose..];
        await File.WriteAllTextAsync(html, text);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var check = await HeadlessChromium.CheckAsync(html, timeout.Token);

        Assert.Equal(1, check.Images);
        Assert.Contains("image 'missing.png' did not load", check.Problems);
        Assert.Contains(check.Problems, p => p.StartsWith("svg 1 draws nothing", StringComparison.Ordinal));
    }

    private async Task<string> WriteReportAsync()
    {
        var store = new LocalBlobStore(_folder);
        await Report().WriteAsync(store, "reports/run", CancellationToken.None);
        return Path.Combine(_folder, "reports/run/report.html");
    }
}
