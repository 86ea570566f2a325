using System.Text;
using FreeBind.Storage;

namespace FreeBind.Tests.Storage;

public sealed class LocalBlobStoreTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly string root = Directory.CreateTempSubdirectory("freebind-local-store-").FullName;
    private readonly CancellationTokenSource timeout = new(Timeout);

    public void Dispose()
    {
        timeout.Dispose();
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task WriteAsync_CreatesFoldersAndRoundTrips()
    {
        var store = new LocalBlobStore(root);

        await store.WriteAsync("a/b/c.txt", WriteText("hello"), timeout.Token);

        Assert.True(await store.ExistsAsync("a/b/c.txt", timeout.Token));
        Assert.Equal("hello", await ReadTextAsync(store, "a/b/c.txt"));
        Assert.Equal(Encoding.UTF8.GetBytes("ell"), await store.ReadRangeAsync("a/b/c.txt", 1, 3, timeout.Token));
        Assert.Equal(root, store.DisplayRoot);
    }

    [Fact]
    public async Task WriteAsync_CancelledMidWrite_LeavesNoFile()
    {
        var store = new LocalBlobStore(root);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);

        var write = store.WriteAsync(
            "shard/embeddings.parquet",
            async (stream, cancellationToken) =>
            {
                await stream.WriteAsync(new byte[100_000], cancellationToken);
                await stream.FlushAsync(cancellationToken);
                cancellation.Cancel();
                await stream.WriteAsync(new byte[100_000], cancellationToken);
            },
            cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.False(File.Exists(Path.Combine(root, "shard", "embeddings.parquet")));
        Assert.Empty(Directory.GetFiles(Path.Combine(root, "shard")));
    }

    [Fact]
    public async Task WriteAsync_CallbackThrows_KeepsPreviousFile()
    {
        var store = new LocalBlobStore(root);
        await store.WriteAsync("x.txt", WriteText("old"), timeout.Token);

        var write = store.WriteAsync(
            "x.txt",
            async (stream, cancellationToken) =>
            {
                await stream.WriteAsync(Encoding.UTF8.GetBytes("new, partly"), cancellationToken);
                throw new InvalidOperationException("encoder failed");
            },
            timeout.Token);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => write);
        Assert.Equal("encoder failed", exception.Message);
        Assert.Equal("old", await ReadTextAsync(store, "x.txt"));
        Assert.Equal(["x.txt"], Directory.GetFiles(root).Select(Path.GetFileName));
    }

    [Fact]
    public void DeleteAbandoned_KeepsNewerFiles()
    {
        var store = new LocalBlobStore(root);
        var cutoff = DateTimeOffset.UtcNow;
        Directory.CreateDirectory(Path.Combine(root, "embeddings", "s", "image"));
        string abandoned = Path.Combine(root, "embeddings", "s", "image", $"shard-000001.parquet.tmp-{Guid.NewGuid():N}");
        string current = Path.Combine(root, "embeddings", "s", "image", $"shard-000002.parquet.tmp-{Guid.NewGuid():N}");
        string lookalike = Path.Combine(root, "notes.tmp-keep");
        string finished = Path.Combine(root, "embeddings", "s", "image", "shard-000000.parquet");
        foreach (string file in new[] { abandoned, current, lookalike, finished })
        {
            File.WriteAllText(file, "x");
            File.SetLastWriteTimeUtc(file, cutoff.UtcDateTime.AddHours(-1));
        }

        File.SetLastWriteTimeUtc(current, cutoff.UtcDateTime.AddSeconds(1));

        int deleted = store.DeleteAbandonedTemporaryFiles(cutoff);

        Assert.Equal(1, deleted);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(current));
        Assert.True(File.Exists(lookalike));
        Assert.True(File.Exists(finished));
    }

    [Fact]
    public async Task ListAsync_ReturnsOrdinalOrderWithoutTempFiles()
    {
        var store = new LocalBlobStore(root);
        string[] paths = ["b/2.parquet", "B/1.parquet", "a.txt", "b/10.parquet", "b/1.parquet", "bz/x"];
        foreach (var path in paths)
        {
            await store.WriteAsync(path, WriteText(path), timeout.Token);
        }

        await File.WriteAllTextAsync(Path.Combine(root, "b", $"3.parquet.tmp-{Guid.NewGuid():N}"), "partial", timeout.Token);

        var all = await store.ListAsync("", timeout.Token).ToListAsync(timeout.Token);
        var underB = await store.ListAsync("b/", timeout.Token).ToListAsync(timeout.Token);
        var startingWithB = await store.ListAsync("b", timeout.Token).ToListAsync(timeout.Token);
        var missing = await store.ListAsync("nothing/here", timeout.Token).ToListAsync(timeout.Token);

        Assert.Equal(["B/1.parquet", "a.txt", "b/1.parquet", "b/10.parquet", "b/2.parquet", "bz/x"], all);
        Assert.Equal(["b/1.parquet", "b/10.parquet", "b/2.parquet"], underB);
        Assert.Equal(["b/1.parquet", "b/10.parquet", "b/2.parquet", "bz/x"], startingWithB);
        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("../outside.txt")]
    [InlineData("a/../../outside.txt")]
    [InlineData("a/../b.txt")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b.txt")]
    [InlineData("a//b.txt")]
    [InlineData("./a.txt")]
    [InlineData("folder/")]
    public async Task Operations_RejectPathOutsideRoot(string path)
    {
        var store = new LocalBlobStore(root);

        var write = await Assert.ThrowsAsync<ArgumentException>(() => store.WriteAsync(path, WriteText("x"), timeout.Token));
        var exists = await Assert.ThrowsAsync<ArgumentException>(() => store.ExistsAsync(path, timeout.Token));
        var read = await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReadAsync(path, timeout.Token));
        var delete = await Assert.ThrowsAsync<ArgumentException>(() => store.DeleteAsync(path, timeout.Token));

        Assert.Contains($"'{path}'", write.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", exists.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", read.Message, StringComparison.Ordinal);
        Assert.Contains($"'{path}'", delete.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root)!, "outside.txt")));
    }

    [Fact]
    public async Task ListAsync_RejectsEscapingPrefix()
    {
        var store = new LocalBlobStore(root);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => store.ListAsync("../", timeout.Token).ToListAsync(timeout.Token).AsTask());

        Assert.Contains("'../'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadRangeAsync_PastEnd_Throws()
    {
        var store = new LocalBlobStore(root);
        await store.WriteAsync("f.bin", WriteText("0123456789"), timeout.Token);

        await Assert.ThrowsAsync<EndOfStreamException>(() => store.ReadRangeAsync("f.bin", 8, 3, timeout.Token));
        Assert.Empty(await store.ReadRangeAsync("f.bin", 10, 0, timeout.Token));
    }

    [Fact]
    public async Task MissingFile_ThrowsFileNotFoundAndDeleteIsQuiet()
    {
        var store = new LocalBlobStore(root);

        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("none.txt", timeout.Token));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.ReadRangeAsync("none.txt", 0, 1, timeout.Token));
        Assert.False(await store.ExistsAsync("none.txt", timeout.Token));
        await store.DeleteAsync("none.txt", timeout.Token);
    }

    [Fact]
    public async Task DeleteAsync_RemovesFile()
    {
        var store = new LocalBlobStore(root);
        await store.WriteAsync("d.txt", WriteText("x"), timeout.Token);

        await store.DeleteAsync("d.txt", timeout.Token);

        Assert.False(await store.ExistsAsync("d.txt", timeout.Token));
    }

    internal static Func<Stream, CancellationToken, Task> WriteText(string text) =>
        (stream, cancellationToken) => stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).AsTask();

    private async Task<string> ReadTextAsync(IBlobStore store, string path)
    {
        await using var stream = await store.OpenReadAsync(path, timeout.Token);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(timeout.Token);
    }
}
