using System.Text;

using SkiaSharp;

namespace FreeBind.Reporting;

/// <summary>
/// A line chart drawn with SkiaSharp, to PNG (raster surface) and SVG (<see cref="SKSvgCanvas"/>)
/// from the same drawing code.
/// </summary>
/// <remarks>
/// ScottPlot 5.1.59 was not used: it depends on SkiaSharp 3.119 while FreeBind.Core uses SkiaSharp
/// 4.156.1, and a major-version mismatch of the native bindings is not something to ship untested.
/// Text uses DejaVu Sans when the system has it, else SkiaSharp's default typeface.
/// </remarks>
public sealed class LineChart
{
    private static readonly SKColor[] Palette =
    [
        new(0x1f, 0x77, 0xb4), new(0xd6, 0x27, 0x28), new(0x2c, 0xa0, 0x2c), new(0xff, 0x7f, 0x0e),
        new(0x94, 0x67, 0xbd), new(0x8c, 0x56, 0x4b), new(0xe3, 0x77, 0xc2), new(0x7f, 0x7f, 0x7f),
    ];

    private static readonly Lazy<SKTypeface> Typeface = new(LoadTypeface);

    /// <summary>Chart title.</summary>
    public required string Title { get; init; }

    /// <summary>X axis label.</summary>
    public required string XLabel { get; init; }

    /// <summary>Y axis label.</summary>
    public required string YLabel { get; init; }

    /// <summary>The lines.</summary>
    public required IReadOnlyList<ChartSeries> Series { get; init; }

    /// <summary>Width in pixels; default 720.</summary>
    public int Width { get; init; } = 720;

    /// <summary>Height in pixels; default 440.</summary>
    public int Height { get; init; } = 440;

    /// <summary>Renders the chart to PNG and SVG.</summary>
    public RenderedChart Render(string name)
    {
        using var bitmap = new SKBitmap(Width, Height);
        using (var canvas = new SKCanvas(bitmap))
        {
            Draw(canvas);
        }

        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(SKEncodedImageFormat.Png, 100);
        var png = data.ToArray();

        using var svgStream = new MemoryStream();
        using (var managed = new SKManagedWStream(svgStream))
        {
            using var svg = SKSvgCanvas.Create(SKRect.Create(Width, Height), managed);
            Draw(svg);
        }

        return new RenderedChart(name, Title, png, Encoding.UTF8.GetString(svgStream.ToArray()));
    }

    private void Draw(SKCanvas canvas)
    {
        canvas.Clear(SKColors.White);
        using var font = new SKFont(Typeface.Value, 13);
        const float left = 70, top = 40, bottom = 55;
        var right = LegendMargin(Series.Select(series => series.Name), font, Width);
        var plot = new SKRect(left, top, Width - right, Height - bottom);
        var points = Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
        var (xMin, xMax) = Range(points.Select(p => p.X));
        var (yMin, yMax) = Range(points.Select(p => p.Y));

        using var titleFont = new SKFont(Typeface.Value, 16);
        using var text = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        using var grid = new SKPaint { Color = new SKColor(0xdd, 0xdd, 0xdd), StrokeWidth = 1, Style = SKPaintStyle.Stroke };
        using var axis = new SKPaint { Color = SKColors.Black, StrokeWidth = 1, Style = SKPaintStyle.Stroke, IsAntialias = true };

        canvas.DrawText(Title, Width / 2f, top - 15, SKTextAlign.Center, titleFont, text);
        for (var i = 0; i <= 5; i++)
        {
            var x = plot.Left + plot.Width * i / 5;
            var y = plot.Bottom - plot.Height * i / 5;
            canvas.DrawLine(x, plot.Top, x, plot.Bottom, grid);
            canvas.DrawLine(plot.Left, y, plot.Right, y, grid);
            canvas.DrawText(Format(xMin + (xMax - xMin) * i / 5), x, plot.Bottom + 18, SKTextAlign.Center, font, text);
            canvas.DrawText(Format(yMin + (yMax - yMin) * i / 5), plot.Left - 6, y + 4, SKTextAlign.Right, font, text);
        }

        canvas.DrawRect(plot, axis);
        canvas.DrawText(XLabel, plot.MidX, Height - 12, SKTextAlign.Center, font, text);
        canvas.Save();
        canvas.RotateDegrees(-90, 16, plot.MidY);
        canvas.DrawText(YLabel, 16, plot.MidY, SKTextAlign.Center, font, text);
        canvas.Restore();

        SKPoint Map((double X, double Y) p) => new(
            plot.Left + (float)((p.X - xMin) / (xMax - xMin)) * plot.Width,
            plot.Bottom - (float)((p.Y - yMin) / (yMax - yMin)) * plot.Height);

        for (var s = 0; s < Series.Count; s++)
        {
            using var line = new SKPaint
            {
                Color = Palette[s % Palette.Length], StrokeWidth = 2, Style = SKPaintStyle.Stroke, IsAntialias = true,
            };
            var finite = Series[s].Points.Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToList();
            for (var i = 1; i < finite.Count; i++)
            {
                canvas.DrawLine(Map(finite[i - 1]), Map(finite[i]), line);
            }
            var legendY = plot.Top + 10 + s * 18;
            canvas.DrawLine(plot.Right + 10, legendY, plot.Right + 30, legendY, line);
            canvas.DrawText(FitText(Series[s].Name, right - LegendTextOffset - 4, font), plot.Right + LegendTextOffset, legendY + 4, SKTextAlign.Left, font, text);
        }
    }

    // Distance from the plot's right edge to the legend text, after the line sample.
    private const float LegendTextOffset = 36;

    /// <summary>
    /// Returns the right margin: room for the longest legend name, at least 170 pixels and at most
    /// half the chart, so that a long task name widens the legend instead of running off the image.
    /// </summary>
    internal static float LegendMargin(IEnumerable<string> names, SKFont font, int width)
    {
        var widest = names.Select(name => font.MeasureText(name)).DefaultIfEmpty(0).Max();
        return Math.Clamp(widest + LegendTextOffset + 10, 170, Math.Max(170, width / 2f));
    }

    /// <summary>Returns <paramref name="text"/>, cut and ended with "…" when it is wider than <paramref name="maxWidth"/>.</summary>
    internal static string FitText(string text, float maxWidth, SKFont font)
    {
        if (font.MeasureText(text) <= maxWidth)
        {
            return text;
        }

        var length = text.Length;
        while (length > 0 && font.MeasureText(text[..length] + "…") > maxWidth)
        {
            length--;
        }

        return text[..length] + "…";
    }

    private static (double Min, double Max) Range(IEnumerable<double> values)
    {
        var list = values.ToList();
        if (list.Count == 0)
        {
            return (0, 1);
        }

        var (min, max) = (list.Min(), list.Max());
        return max > min ? (min, max) : (min - 0.5, max + 0.5);
    }

    private static string Format(double value) => value.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static SKTypeface LoadTypeface()
    {
        const string dejaVu = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
        return File.Exists(dejaVu) ? SKTypeface.FromFile(dejaVu) ?? SKTypeface.Default : SKTypeface.Default;
    }
}
