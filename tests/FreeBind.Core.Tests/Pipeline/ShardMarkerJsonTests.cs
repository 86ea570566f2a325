using System.Text.Json;

using FreeBind.Pipeline;
using FreeBind.Storage;

namespace FreeBind.Tests.Pipeline;

public sealed class ShardMarkerJsonTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("freebind-marker-").FullName;
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        timeout.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Write_UsesCamelCaseKeys()
    {
        var store = new LocalBlobStore(root);
        var outcome = new ShardOutcome
        {
            Shard = 3,
            Fingerprint = "abc",
            Entries = 5,
            Embedded = { ["unified/image"] = 4 },
            Errors = { ["decode"] = 1 },
            Seconds = 1.5,
            InferenceSeconds = 0.5,
        };

        await ShardMarkerJson.WriteAsync(store, OutputLayout.ShardMarker(3), outcome, timeout.Token);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, OutputLayout.ShardMarker(3)), timeout.Token));
        var keys = json.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(["shard", "fingerprint", "entries", "embedded", "errors", "warnings", "skipped", "seconds", "inferenceSeconds"], keys);
        // Dictionary keys are data (space/modality, stage), not property names, so they keep their case.
        Assert.Equal(4, json.RootElement.GetProperty("embedded").GetProperty("unified/image").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("errors").GetProperty("decode").GetInt32());
    }

    [Fact]
    public async Task Read_PascalCaseMarkerOfEarlierVersion()
    {
        var store = new LocalBlobStore(root);
        var path = Path.Combine(root, OutputLayout.ShardMarker(7));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(
            path,
            """
            {
              "Shard": 7,
              "Fingerprint": "f00d",
              "Entries": 12,
              "Embedded": { "unified/text": 12 },
              "Errors": { "read": 2 },
              "Warnings": {},
              "Skipped": false,
              "Seconds": 2.25,
              "InferenceSeconds": 1.5
            }
            """,
            timeout.Token);

        var marker = await ShardEmbedder.TryReadMarkerAsync(store, 7, timeout.Token);

        Assert.NotNull(marker);
        Assert.Equal(7, marker.Shard);
        Assert.Equal("f00d", marker.Fingerprint);
        Assert.Equal(12, marker.Entries);
        Assert.Equal(12, marker.Embedded["unified/text"]);
        Assert.Equal(2, marker.Errors["read"]);
        Assert.Equal(2.25, marker.Seconds);
        Assert.Equal(1.5, marker.InferenceSeconds);
    }

    [Fact]
    public async Task Read_RoundTripsWrittenMarker()
    {
        var store = new LocalBlobStore(root);
        var outcome = new ShardOutcome { Shard = 1, Fingerprint = "beef", Entries = 2, Embedded = { ["s/audio"] = 2 } };

        await ShardMarkerJson.WriteAsync(store, OutputLayout.ShardMarker(1), outcome, timeout.Token);
        var marker = await ShardEmbedder.TryReadMarkerAsync(store, 1, timeout.Token);

        Assert.NotNull(marker);
        Assert.Equal("beef", marker.Fingerprint);
        Assert.Equal(2, marker.Embedded["s/audio"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1, 2]")]
    public async Task Read_UnreadableMarker_ReturnsNull(string text)
    {
        var store = new LocalBlobStore(root);
        var path = Path.Combine(root, OutputLayout.ShardMarker(0));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, text, timeout.Token);

        Assert.Null(await ShardEmbedder.TryReadMarkerAsync(store, 0, timeout.Token));
    }

    [Fact]
    public async Task Read_MissingMarker_ReturnsNull()
    {
        Assert.Null(await ShardEmbedder.TryReadMarkerAsync(new LocalBlobStore(root), 0, timeout.Token));
    }
}
