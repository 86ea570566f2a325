using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

using FreeBind.Client;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

/// <summary>
/// Runs commands in-process with input errors that must fail before any cluster connection, and
/// checks that the message names the value and the next step.
/// </summary>
public sealed class CommandLineErrorTests
{
    [Fact]
    public async Task Eval_MissingEmbeddingsFolder_SaysNotFound()
    {
        using var temp = new TempDirectory();
        var absent = temp.Combine("evl");

        var error = await InvokeErrorAsync(["eval", "--embeddings", absent, "--task", "retrieval:audio-text"]);

        Assert.Equal(
            $"embeddings folder '{absent}' not found: pass the output root of a freebind embed or fuse job to --embeddings.",
            error.Message);
    }

    [Fact]
    public async Task Eval_UnknownSpace_ListsSpaces()
    {
        using var temp = new TempDirectory();
        WriteShards(temp, "unified", "audio", "text");
        WriteShards(temp, "audio-text", "audio", "text");

        var error = await InvokeErrorAsync(
            ["eval", "--embeddings", temp.Path, "--space", "unifid", "--task", "retrieval:audio-text"]);

        Assert.Contains($"space 'unifid' not found under '{temp.Path}/embeddings/'", error.Message);
        Assert.Contains("did you mean 'unified'?", error.Message);
        Assert.Contains("Spaces there: audio-text, unified", error.Message);
    }

    [Fact]
    public async Task Eval_MissingModality_NamesModality()
    {
        using var temp = new TempDirectory();
        WriteShards(temp, "unified", "text");

        var error = await InvokeErrorAsync(
            ["eval", "--embeddings", temp.Path, "--space", "unified", "--task", "retrieval:audio-text"]);

        Assert.Contains("space 'unified' has no audio embeddings", error.Message);
        Assert.Contains("(it has text)", error.Message);
    }

    [Theory]
    [InlineData("fuse", "--embeddings", "out")]
    [InlineData("pseudo", "--bond", "c-e", "--embeddings", "out")]
    public async Task SpacesFileAsBonds_NamesPathAndKey(params string[] rest)
    {
        var spaces = RepositoryPaths.SampleSpaces;

        var error = await InvokeErrorAsync([rest[0], "--bonds", spaces, .. rest[1..]]);

        Assert.IsType<FreeBind.Bonds.Graph.BondFileException>(error);
        Assert.StartsWith($"{spaces} is not a valid bond file: spaces (line 9): expected an object", error.Message);
        Assert.Contains("pass it with --spaces", error.Message);
        Assert.DoesNotContain("System.", error.Message);
    }

    [Theory]
    [InlineData("../../escape")]
    [InlineData("bad/id")]
    [InlineData(".hidden")]
    public async Task Embed_InvalidJobId_IsRejected(string jobId)
    {
        var error = await InvokeErrorAsync(
            ["embed", "--spaces", RepositoryPaths.SampleSpaces, "--input", RepositoryPaths.SampleCorpus, "--output", "out", "--job", jobId]);

        Assert.IsType<FormatException>(error);
        Assert.StartsWith($"--job '{jobId}' is invalid: use 1 to 128 letters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Jobs_NoLocalCluster_FailsFastNamingGateway()
    {
        var port = UnusedPort();
        var started = Stopwatch.StartNew();

        var error = await InvokeErrorAsync(["jobs", "--cluster", "--gateway", port.ToString(CultureInfo.InvariantCulture)]);

        Assert.IsType<ClusterUnavailableException>(error);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"failing took {started.Elapsed}");
        Assert.StartsWith($"no cluster gateway at 127.0.0.1:{port} (connection refused): start a silo", error.Message);
        Assert.Contains("--gateway", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("jobs")]
    [InlineData("embed")]
    public async Task GatewayWithoutCluster_ConnectsToGateway(string command)
    {
        var port = UnusedPort().ToString(CultureInfo.InvariantCulture);
        string[] args = command == "jobs"
            ? ["jobs", "--gateway", port]
            : ["embed", "--spaces", RepositoryPaths.SampleSpaces, "--input", RepositoryPaths.SampleCorpus, "--output", "out", "--gateway", port];

        var error = await InvokeErrorAsync(args);

        // Without --cluster, the gateway is still the one tried: no silo starts in this process.
        Assert.IsType<ClusterUnavailableException>(error);
        Assert.StartsWith($"no cluster gateway at 127.0.0.1:{port} (connection refused)", error.Message);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void WriteShards(TempDirectory temp, string space, params string[] modalities)
    {
        foreach (var modality in modalities)
        {
            var folder = temp.Combine("embeddings", space, modality);
            Directory.CreateDirectory(folder);
            File.WriteAllBytes(Path.Combine(folder, "shard-000000.parquet"), []);
        }
    }

    private static async Task<Exception> InvokeErrorAsync(string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = CommandLineApplication.CreateRootCommand().Parse(args);
        Assert.Empty(result.Errors);

        return await Assert.ThrowsAnyAsync<Exception>(() => result.InvokeAsync(
            new InvocationConfiguration { EnableDefaultExceptionHandler = false }, timeout.Token));
    }
}
