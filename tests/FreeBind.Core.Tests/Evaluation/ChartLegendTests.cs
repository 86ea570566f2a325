using FreeBind.Reporting;

using SkiaSharp;

namespace FreeBind.Tests.Evaluation;

public sealed class ChartLegendTests
{
    [Fact]
    public void Legend_margin_fits_long_names()
    {
        using var font = new SKFont(SKTypeface.Default, 13);

        var shortMargin = LineChart.LegendMargin(["R@1"], font, 720);
        var longMargin = LineChart.LegendMargin(["retrieval:text-audio (clotho) R@1"], font, 720);
        var hugeMargin = LineChart.LegendMargin([new string('x', 400)], font, 720);

        Assert.Equal(170, shortMargin);
        Assert.True(longMargin > 170, $"margin {longMargin} did not grow for a long name");
        Assert.Equal(360, hugeMargin);
    }

    [Fact]
    public void FitText_cuts_with_ellipsis()
    {
        using var font = new SKFont(SKTypeface.Default, 13);
        var name = new string('x', 400);

        var fitted = LineChart.FitText(name, 200, font);

        Assert.EndsWith("…", fitted);
        Assert.True(font.MeasureText(fitted) <= 200, $"'{fitted}' is wider than 200 pixels");
        Assert.Equal("R@1", LineChart.FitText("R@1", 200, font));
    }
}
