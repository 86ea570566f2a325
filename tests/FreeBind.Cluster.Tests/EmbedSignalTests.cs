using System.Diagnostics;

using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>
/// SIGTERM stops an embedded <c>freebind embed</c> the way Ctrl+C does: the job is cancelled,
/// no job manifest is written, and the process exits with 130.
/// </summary>
public sealed class EmbedSignalTests
{
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

        var startInfo = CliProcess.CreateStartInfo(
            "embed", "--spaces", RepositoryPaths.SampleSpaces, "--input", corpus.Path, "--output", output.Path,
            "--modalities", "image", "--space", "resnet18", "--shard-size", "10");
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
                    CliProcess.SendSignal(process.Id, CliProcess.SigTerm);
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
        Assert.Contains("running the same command again resumes the job", text, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output.Path, "manifest.json")), "a cancelled job wrote its manifest");
        var markers = Directory.Exists(Path.Combine(output.Path, "shards"))
            ? Directory.GetFiles(Path.Combine(output.Path, "shards"), "*.json").Length
            : 0;
        Assert.InRange(markers, 0, 39);
    }
}
