using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace FreeBind.Tests.Evaluation;

/// <summary>
/// Opens an HTML file in headless Chromium and lists what went wrong on the page: uncaught script
/// errors, images that did not load and inline SVG charts that draw nothing.
/// </summary>
/// <remarks>
/// The page is loaded in an iframe of a probe page written beside it. When the iframe has loaded,
/// the probe's script inspects the page's images and SVG elements and writes its findings into
/// the probe's DOM, which <c>--dump-dom</c> prints after the probe's own load event. Script errors
/// come from Chromium's console log on standard error (<c>--enable-logging=stderr</c>), which
/// includes messages from frames. <c>--allow-file-access-from-files</c> lets the probe read the
/// iframe's document over <c>file://</c>. <c>--no-sandbox</c> is needed when the tests run as root.
/// </remarks>
internal static partial class HeadlessChromium
{
    private const string ProbeScript = """
        const frame = document.getElementById("page");
        frame.addEventListener("load", () => {
          const result = { images: 0, svgs: 0, problems: [] };
          const page = frame.contentDocument;
          if (!page) {
            result.problems.push("the page's document is not readable from the probe");
          } else {
            for (const image of page.images) {
              result.images++;
              if (!image.complete || image.naturalWidth === 0) {
                result.problems.push("image '" + image.getAttribute("src") + "' did not load");
              }
            }
            for (const svg of page.querySelectorAll("svg")) {
              result.svgs++;
              const box = svg.getBBox();
              if (box.width === 0 || box.height === 0) {
                result.problems.push("svg " + result.svgs + " draws nothing (content box " + box.width + " x " + box.height + ")");
              }
            }
          }
          const output = document.createElement("pre");
          output.textContent = "PAGE-CHECK:" + JSON.stringify(result);
          document.body.appendChild(output);
        });
        """;

    /// <summary>Loads <paramref name="htmlPath"/> and returns the counts and problems found.</summary>
    /// <exception cref="InvalidOperationException">Chromium failed or printed no result.</exception>
    public static async Task<PageCheck> CheckAsync(string htmlPath, CancellationToken cancellationToken)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
        var probe = Path.Combine(folder, $"probe-{Guid.NewGuid():N}.html");
        var page = Uri.EscapeDataString(Path.GetFileName(htmlPath));
        await File.WriteAllTextAsync(
            probe,
            $"<!DOCTYPE html><html><body><iframe id=\"page\" src=\"{page}\"></iframe><script>{ProbeScript}</script></body></html>",
            cancellationToken);
        try
        {
            var (exitCode, output, errors) = await RunAsync(new Uri(probe).AbsoluteUri, cancellationToken);
            var match = ProbeOutput().Match(output);
            if (exitCode != 0 || !match.Success)
            {
                throw new InvalidOperationException(
                    $"chromium exited with {exitCode} and printed no page check for '{htmlPath}'; its standard error:\n{errors}");
            }

            var json = WebUtility.HtmlDecode(match.Groups["json"].Value);
            var result = JsonSerializer.Deserialize<ProbeResult>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var scriptErrors = UncaughtError().Matches(errors).Select(m => m.Groups["message"].Value).ToList();
            return new PageCheck(result.Images, result.Svgs, [.. result.Problems, .. scriptErrors]);
        }
        finally
        {
            File.Delete(probe);
        }
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string url, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ChromiumFactAttribute.ChromiumPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        string[] arguments =
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--allow-file-access-from-files",
            "--enable-logging=stderr", "--v=0", "--dump-dom", url,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await errors);
    }

    // The dumped DOM also contains the probe's script, so the match includes the element's tag.
    [GeneratedRegex("<pre>PAGE-CHECK:(?<json>.*?)</pre>", RegexOptions.Singleline)]
    private static partial Regex ProbeOutput();

    // Chromium 156 logs a console message as: INFO:CONSOLE:<line>] "Uncaught Error: boom", source: <url> (<line>)
    [GeneratedRegex("CONSOLE[^\\]]*\\] \"(?<message>Uncaught [^\"]*)\"")]
    private static partial Regex UncaughtError();

    private sealed record ProbeResult(int Images, int Svgs, List<string> Problems);
}

/// <summary>What <see cref="HeadlessChromium.CheckAsync"/> found on a page.</summary>
/// <param name="Images">Number of <c>img</c> elements.</param>
/// <param name="Svgs">Number of <c>svg</c> elements, nested ones included.</param>
/// <param name="Problems">Images that did not load, SVG elements whose content has an empty bounding box, and uncaught script errors.</param>
internal sealed record PageCheck(int Images, int Svgs, IReadOnlyList<string> Problems);
