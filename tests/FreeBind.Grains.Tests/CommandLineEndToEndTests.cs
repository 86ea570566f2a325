using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Media;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>
/// Runs the built <c>freebind</c> executable's <c>eval</c> and <c>sweep</c> commands, each with its
/// own in-process silo, on small embeddings whose recall is known in advance.
/// </summary>
/// <remarks>
/// Four items, one-hot in 4 dimensions. In the base space <c>u</c>, text and image of item i are
/// e_i, and audio of items 0 and 1 is swapped (audio 0 is e_1), so audio-text R@1 is 0.5. The expert
/// <c>e</c> embeds audio and text of item i as e_i, and the bond's projector is the identity. The
/// fused audio of item i is then (1 − a)·u_audio + a·e_i, which finds its own text exactly when the
/// audio factor a is above 0.5, so the tuned profile reaches R@1 1.0.
/// </remarks>
public sealed partial class CommandLineEndToEndTests
{
    private const int Items = 4;

    private const string BondJson = """
        {
          "name": "bonded",
          "base": "u",
          "spaces": {
            "u": { "dimension": 4, "modalities": ["image", "text", "audio"] },
            "e": { "dimension": 4, "modalities": ["audio", "text"] }
          },
          "bonds": [
            { "name": "c-e", "kind": "combination", "experts": ["e"],
              "projectors": { "e": "projectors/e" }, "factors": { "audio": 0.2, "text": 0.2 } }
          ]
        }
        """;

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Eval_PrintsTableAndWritesResults()
    {
        using var work = new TempDirectory();
        var embeddings = await WriteEmbeddingsAsync(work);
        var output = work.Combine("eval-output");

        var run = await RunAsync(
            ["eval", "--embeddings", embeddings, "--space", "u", "--task", "retrieval:audio-text,retrieval:image-text", "--output", output]);

        Assert.True(run.ExitCode == 0, $"freebind eval exited with {run.ExitCode}:\n{run.Output}\n{run.Errors}");
        Assert.Matches(TableRow("u", "retrieval:audio-text", "R@1", "50.00"), run.Output);
        Assert.Matches(TableRow("u", "retrieval:image-text", "R@1", "100.00"), run.Output);

        var files = Directory.GetFiles(Path.Combine(output, "eval"));
        var json = Assert.Single(files, f => f.EndsWith(".json", StringComparison.Ordinal));
        var parquet = Assert.Single(files, f => f.EndsWith(".parquet", StringComparison.Ordinal));
        Assert.Contains(Path.GetFileName(json), run.Output, StringComparison.Ordinal);

        var results = JsonNode.Parse(await File.ReadAllTextAsync(json))!.AsArray();
        Assert.Equal(2, results.Count);
        Assert.Equal("retrieval:audio-text", (string?)results[0]!["Task"]);
        Assert.Equal("u", (string?)results[0]!["Space"]);
        Assert.Equal(0.5, (double)results[0]!["Metrics"]!["R@1"]!, 6);
        Assert.Equal(1.0, (double)results[1]!["Metrics"]!["R@1"]!, 6);

        var recall = DuckDb.Scalar<double>(
            $"SELECT value FROM read_parquet('{parquet}') WHERE task = 'retrieval:audio-text' AND kind = 'metric' AND name = 'R@1'");
        Assert.Equal(0.5, recall, 6);
        Assert.Equal(2, DuckDb.Scalar<long>($"SELECT count(DISTINCT task) FROM read_parquet('{parquet}')"));
    }

    [Fact]
    public async Task Sweep_WritesProfileIntoBondFile()
    {
        using var work = new TempDirectory();
        var embeddings = await WriteEmbeddingsAsync(work);
        var bonds = work.Combine("bonds.json");
        var reports = work.Combine("sweep-output");

        var run = await RunAsync(
        [
            "sweep", "--bonds", bonds, "--embeddings", embeddings, "--task", "retrieval:audio-text",
            "--objective", "retrieval:audio-text:R@1", "--profile-name", "tuned", "--output", reports,
        ]);

        Assert.True(run.ExitCode == 0, $"freebind sweep exited with {run.ExitCode}:\n{run.Output}\n{run.Errors}");
        var best = BestLine().Match(run.Output);
        Assert.True(best.Success, $"no 'best ... → profile' line in:\n{run.Output}");
        Assert.Equal("1.0000", best.Groups["score"].Value);
        Assert.Contains($"Profiles tuned written to {bonds}", run.Output, StringComparison.Ordinal);

        var written = JsonNode.Parse(await File.ReadAllTextAsync(bonds))!;
        var audio = (double)written["profiles"]!["tuned"]!["c-e"]!["audio"]!;
        Assert.True(audio > 0.5, $"tuned audio factor {audio} does not exceed 0.5, where audio finds its own text");
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"c-e/audio={audio:0.00}"), best.Value, StringComparison.Ordinal);
        Assert.Equal(0.2, (double)written["bonds"]![0]!["factors"]!["audio"]!, 6);

        var report = Assert.Single(Directory.GetDirectories(Path.Combine(reports, "reports")));
        Assert.True(File.Exists(Path.Combine(report, "report.html")), $"report.html missing in {report}");
    }

    private static async Task<string> WriteEmbeddingsAsync(TempDirectory work)
    {
        var projectors = work.Combine("projectors", "e");
        Directory.CreateDirectory(projectors);
        ProjectorCheckpoint.Save(Path.Combine(projectors, "mix"), IdentityProjector(Items));
        await File.WriteAllTextAsync(work.Combine("bonds.json"), BondJson);

        var root = work.Combine("embeddings-root");
        var store = new LocalBlobStore(root);
        int[] swapped = [1, 0, 2, 3];
        await WriteAsync(store, "u", "text", i => i);
        await WriteAsync(store, "u", "image", i => i);
        await WriteAsync(store, "u", "audio", i => swapped[i]);
        await WriteAsync(store, "e", "text", i => i);
        await WriteAsync(store, "e", "audio", i => i);
        return root;
    }

    private static async Task WriteAsync(IBlobStore store, string space, string modality, Func<int, int> hotIndex)
    {
        var rows = Enumerable.Range(0, Items).Select(i =>
        {
            var vector = new float[Items];
            vector[hotIndex(i)] = 1;
            return new EmbeddingRow($"item-{i}", modality, space, "test-model", vector, $"item-{i}.src");
        }).ToList();
        await store.WriteAsync(
            $"embeddings/{space}/{modality}/shard-000000.parquet",
            (stream, token) => EmbeddingParquetWriter.WriteAsync(
                stream, new EmbeddingFileMetadata(space, modality, "test-model", Items), rows, token),
            default);
    }

    /// <summary>Returns a projector without BatchNorm that maps x to x: ReLU(x) − ReLU(−x).</summary>
    private static ProjectorWeights IdentityProjector(int dimension)
    {
        var hidden = 2 * dimension;
        var weight1 = new float[hidden * dimension];
        var weight2 = new float[dimension * hidden];
        for (var i = 0; i < dimension; i++)
        {
            weight1[i * dimension + i] = 1;
            weight1[(dimension + i) * dimension + i] = -1;
            weight2[i * hidden + i] = 1;
            weight2[i * hidden + dimension + i] = -1;
        }

        return new ProjectorWeights
        {
            Architecture = new ProjectorArchitecture(dimension, hidden, dimension, BatchNorm: false),
            Weight1 = weight1,
            Bias1 = new float[hidden],
            Weight2 = weight2,
            Bias2 = new float[dimension],
        };
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(IReadOnlyList<string> arguments)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "freebind");
        Assert.True(File.Exists(executable), $"{executable} not found: build tests/FreeBind.Grains.Tests, which copies the CLI beside the tests.");
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(CommandTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"freebind {string.Join(' ', arguments)} timed out after {CommandTimeout}.");
        }

        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Matches one row of the box-drawn table that <c>freebind eval</c> prints.</summary>
    private static Regex TableRow(string space, string task, string metric, string value) =>
        new($"│ *{Regex.Escape(space)} *│ *{Regex.Escape(task)} *│ *{Regex.Escape(metric)} *│ *{Regex.Escape(value)} *│");

    [GeneratedRegex(@"^retrieval:audio-text:R@1: best (?<score>[0-9.]+) at .* → profile 'tuned'$", RegexOptions.Multiline)]
    private static partial Regex BestLine();
}
