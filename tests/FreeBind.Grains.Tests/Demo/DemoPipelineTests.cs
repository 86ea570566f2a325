using FreeBind.Client;
using FreeBind.Client.Demo;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.Logging;

namespace FreeBind.Tests.Demo;

/// <summary>Runs <c>freebind demo</c>'s pipeline at a small size on an in-process silo: the tuned bond beats the base and the audio-text expert.</summary>
public sealed class DemoPipelineTests
{
    // R@1 margins. The small world has 48 eval entries, so one query moves a direction's R@1 by
    // about 0.02 and the two-direction mean by about 0.01.
    private const double BaseMargin = 0.10;
    private const double ExpertMargin = 0.01;

    [Fact]
    public async Task SmallDemo_BondedBeatsBaseAndExpert()
    {
        using var folder = new TempDirectory();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        var options = new DemoPipelineOptions
        {
            Output = folder.Combine("demo"),
            Concepts = 12,
            ItemsPerConcept = 8,
        };

        DemoPipelineResult result;
        await using (var connection = await ClusterConnection.OpenAsync(false, 0, LogLevel.Error, timeout.Token))
        {
            result = await DemoPipeline.RunAsync(connection.Client, options, TextWriter.Null, timeout.Token);
        }

        var bonded = result.Metric($"bonded ({DemoPipeline.AtExpertise})", DemoPipeline.AudioText);
        var baseline = result.Metric("base (unified)", DemoPipeline.AudioText);
        var expert = result.Metric("expert (audio-text)", DemoPipeline.AudioText);
        Assert.True(bonded > baseline + BaseMargin, $"bonded audio-text R@1 {bonded:F3} vs base {baseline:F3}");
        Assert.True(bonded > expert + ExpertMargin, $"bonded audio-text R@1 {bonded:F3} vs expert {expert:F3}");

        // NOTE: the third part of FreeBind's result (raising the audio factor trades away
        // audio-image recall) does not hold on this world. The audio-text expert's audio encoder
        // reads the whole latent, colour and texture words included, so its projection into the
        // image-text space is better than the unified audio at audio-image retrieval too, and
        // audio-image R@1 rises with the audio factor. The curve is still computed and reported.
        var curve = result.AudioFactorCurve;
        Assert.Equal(11, curve.Count);

        Assert.InRange(result.FusedAudioTextRecall, bonded - 1e-6, bonded + 1e-6);
        Assert.True(File.Exists(Path.Combine(result.ReportFolder, "report.html")), "report.html missing");
        Assert.True(File.Exists(Path.Combine(result.ReportFolder, "recall-vs-audio-factor.png")), "factor chart missing");
        Assert.True(File.Exists(Path.Combine(result.ReportFolder, "loss-c-audio-text.svg")), "loss chart missing");
    }
}
