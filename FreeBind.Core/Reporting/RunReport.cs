using System.Net;
using System.Text;

using FreeBind.Storage;

namespace FreeBind.Reporting;

/// <summary>
/// One run's report: tables and charts written as PNG and SVG files, a Markdown report that links
/// the PNGs, and one self-contained HTML file with the SVGs inline.
/// </summary>
/// <param name="Title">Report title.</param>
/// <param name="Tables">Tables, in order.</param>
/// <param name="Charts">Charts, in order.</param>
public sealed record RunReport(string Title, IReadOnlyList<ReportTable> Tables, IReadOnlyList<RenderedChart> Charts)
{
    /// <summary>File name of the HTML report in the report folder.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>File name of the Markdown report in the report folder.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>Writes every file under <paramref name="folder"/> (e.g. <c>reports/&lt;run&gt;</c>) of <paramref name="output"/>.</summary>
    /// <returns>The paths written.</returns>
    public async Task<IReadOnlyList<string>> WriteAsync(IBlobStore output, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var written = new List<string>();
        async Task Write(string name, byte[] bytes)
        {
            var path = $"{folder}/{name}";
            await output.WriteAsync(path, (stream, token) => stream.WriteAsync(bytes, token).AsTask(), cancellationToken)
                .ConfigureAwait(false);
            written.Add(path);
        }

        foreach (var chart in Charts)
        {
            await Write(chart.Name + ".png", chart.Png).ConfigureAwait(false);
            await Write(chart.Name + ".svg", Encoding.UTF8.GetBytes(chart.Svg)).ConfigureAwait(false);
        }

        await Write(MarkdownFile, Encoding.UTF8.GetBytes(ToMarkdown())).ConfigureAwait(false);
        await Write(HtmlFile, Encoding.UTF8.GetBytes(ToHtml())).ConfigureAwait(false);
        return written;
    }

    /// <summary>Returns the Markdown report; images link to the PNG files beside it.</summary>
    public string ToMarkdown()
    {
        var text = new StringBuilder().Append("# ").AppendLine(Title).AppendLine();
        foreach (var table in Tables)
        {
            text.Append("## ").AppendLine(table.Title).AppendLine();
            text.Append("| ").AppendJoin(" | ", table.Headers.Select(EscapeMarkdown)).AppendLine(" |");
            text.Append('|').AppendJoin("", table.Headers.Select(_ => " --- |")).AppendLine();
            foreach (var row in table.Rows)
            {
                text.Append("| ").AppendJoin(" | ", row.Select(EscapeMarkdown)).AppendLine(" |");
            }

            text.AppendLine();
        }

        foreach (var chart in Charts)
        {
            text.Append("## ").AppendLine(chart.Title).AppendLine();
            text.Append("![").Append(chart.Title).Append("](").Append(chart.Name).AppendLine(".png)").AppendLine();
        }

        return text.ToString();
    }

    /// <summary>Returns the HTML report with every chart as inline SVG; it loads nothing else.</summary>
    public string ToHtml()
    {
        var html = new StringBuilder()
            .AppendLine("<!DOCTYPE html>")
            .AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(WebUtility.HtmlEncode(Title)).AppendLine("</title>")
            .AppendLine("<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}" +
                "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th:first-child,td:first-child{text-align:left}</style>")
            .AppendLine("</head><body>")
            .Append("<h1>").Append(WebUtility.HtmlEncode(Title)).AppendLine("</h1>");
        foreach (var table in Tables)
        {
            html.Append("<h2>").Append(WebUtility.HtmlEncode(table.Title)).AppendLine("</h2>").Append("<table><tr>");
            foreach (var header in table.Headers)
            {
                html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
            }

            html.AppendLine("</tr>");
            foreach (var row in table.Rows)
            {
                html.Append("<tr>");
                foreach (var cell in row)
                {
                    html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
                }

                html.AppendLine("</tr>");
            }

            html.AppendLine("</table>");
        }

        foreach (var chart in Charts)
        {
            html.Append("<h2>").Append(WebUtility.HtmlEncode(chart.Title)).AppendLine("</h2>");
            html.Append("<figure>").Append(StripXmlDeclaration(chart.Svg)).AppendLine("</figure>");
        }

        return html.AppendLine("</body></html>").ToString();
    }

    private static string StripXmlDeclaration(string svg)
    {
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        return start > 0 ? svg[start..] : svg;
    }

    private static string EscapeMarkdown(string cell) => cell.Replace("|", "\\|", StringComparison.Ordinal);
}
