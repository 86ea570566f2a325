using FreeBind.Client;
using FreeBind.Client.Demo;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.Logging;

namespace FreeBind.Tests.Demo;

/// <summary>Runs <c>freebind demo</c>'s pipeline at a small size on an in-process silo: the tuned bond beats the base and the audio-text expert, and a higher audio factor trades away audio-image recall.</summary>
public sealed class DemoPipelineTests
{
    // R@1 margins. The small world has 48 eval entries, so one query moves a direction's R@1 by
    // about 0.02 and the two-direction mean by about 0.01.
    private const double BaseMargin = 0.10;
    private const double ExpertMargin = 0.01;

    // Audio-image R@1 lost from the at-expertise profile to audio factor 1.0: about four queries
    // of the two-direction mean; measured 0.084.
    private const double TradeMargin = 0.04;

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

        // Raising the audio factor past the at-expertise profile trades away audio-image recall:
        // the audio-text expert reads only the audible words, so its projected audio carries no
        // colour or texture. Measured (Debug build): 93.8 % at the at-expertise factor 0.5,
        // 85.4 % at 1.0.
        var curve = result.AudioFactorCurve;
        Assert.Equal(11, curve.Count);
        var audioImageAtExpertise = result.Metric($"bonded ({DemoPipeline.AtExpertise})", DemoPipeline.AudioImage);
        var audioImageAtOne = curve[^1].Recall[DemoPipeline.AudioImage];
        Assert.True(audioImageAtOne < audioImageAtExpertise - TradeMargin,
            $"audio-image R@1 at audio factor 1.0 {audioImageAtOne:F3} vs at-expertise {audioImageAtExpertise:F3}");

        Assert.InRange(result.FusedAudioTextRecall, bonded - 1e-6, bonded + 1e-6);
        Assert.True(File.Exists(Path.Combine(result.ReportFolder, "report.html")), "report.html missing");
        Assert.True(File.Exists(Path.Combine(result.ReportFolder, "recall-vs-audio-factor.png")), "factor chart missing");
        Assert.True(File.Exists(Path.Combine(result.ReportFolder, "loss-c-audio-text.svg")), "loss chart missing");
    }
}
