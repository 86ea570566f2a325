using System.Diagnostics;
using System.Runtime.InteropServices;

using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>
/// SIGTERM stops an embedded <c>freebind embed</c> the way Ctrl+C does: the job is cancelled,
/// no job manifest is written, and the process exits with 130.
/// </summary>
public sealed class EmbedSignalTests
{
    private const int SigTerm = 15;

    [Fact]
    public async Task Sigterm_cancels_embedded_job()
    {
        using var corpus = new TempDirectory();
        using var output = new TempDirectory();
        var image = File.ReadAllBytes(Path.Combine(RepositoryPaths.SampleCorpus, "rose.jpg"));
        for (var i = 0; i < 400; i++)
        {
            File.WriteAllBytes(corpus.Combine($"rose-{i:D4}.jpg"), image);
        }

        var project = Path.Combine(RepositoryPaths.Root, "tests", "FreeBind.Cluster.Tests");
        var relative = Path.GetRelativePath(project, AppContext.BaseDirectory);
        var cli = Path.Combine(RepositoryPaths.Root, "FreeBind.Client", relative, "freebind.dll");
        Assert.True(File.Exists(cli), $"'{cli}' is missing: build tests/FreeBind.Cluster.Tests, which builds FreeBind.Client.");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            cli, "embed", "--spaces", RepositoryPaths.SampleSpaces, "--input", corpus.Path, "--output", output.Path,
            "--modalities", "image", "--space", "resnet18", "--shard-size", "10",
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var error = new System.Text.StringBuilder();
        try
        {
            // The encoder line comes once the job has started and its first shards are running.
            string? line;
            while ((line = await process.StandardError.ReadLineAsync(limit.Token)) is not null)
            {
                error.AppendLine(line);
                if (line.Contains("encoder resnet18/image on", StringComparison.Ordinal))
                {
                    Assert.Equal(0, Kill(process.Id, SigTerm));
                    break;
                }
            }

            error.Append(await process.StandardError.ReadToEndAsync(limit.Token));
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var text = error.ToString();
        await standardOutput;
        Assert.True(130 == process.ExitCode, $"exit code {process.ExitCode}, standard error:\n{text}");
        Assert.Contains("stopping job", text, StringComparison.Ordinal);
        Assert.Contains("running the same job again resumes it", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, "manifest.json")), "a cancelled job wrote its manifest");
        var markers = Directory.Exists(Path.Combine(output.Path, "shards"))
            ? Directory.GetFiles(Path.Combine(output.Path, "shards"), "*.json").Length
            : 0;
        Assert.InRange(markers, 0, 39);
    }

    // DllImport, not LibraryImport, because the latter needs unsafe code enabled in the project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
