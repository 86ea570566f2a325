namespace FreeBind.Reporting;

/// <summary>A chart rendered to PNG and SVG.</summary>
/// <param name="Name">File stem, e.g. <c>recall-c-clap-audio</c>.</param>
/// <param name="Title">Chart title.</param>
/// <param name="Png">PNG bytes.</param>
/// <param name="Svg">SVG document text.</param>
public sealed record RenderedChart(string Name, string Title, byte[] Png, string Svg);
