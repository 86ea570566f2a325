using System.Text;
using Azure.Storage.Blobs;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreTests(AzuriteFixture azurite) : IDisposable
{
    private const int SmallBlock = 1 << 20;

    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(60));
    private readonly string containerName = "test-" + Guid.NewGuid().ToString("N")[..16];

    public void Dispose() => timeout.Dispose();

    [Fact]
    public async Task WriteAsync_ThenReadRangeListExistsDelete()
    {
        var store = OpenStore("runs/one");

        await store.WriteAsync("shard-2/embeddings.parquet", LocalBlobStoreTests.WriteText("0123456789"), timeout.Token);
        await store.WriteAsync("shard-10/errors.parquet", LocalBlobStoreTests.WriteText("e"), timeout.Token);
        await store.WriteAsync("shard-1/embeddings.parquet", LocalBlobStoreTests.WriteText("x"), timeout.Token);

        Assert.True(await store.ExistsAsync("shard-2/embeddings.parquet", timeout.Token));
        Assert.False(await store.ExistsAsync("shard-3/embeddings.parquet", timeout.Token));
        Assert.Equal("0123456789", await ReadTextAsync(store, "shard-2/embeddings.parquet"));
        Assert.Equal(Encoding.UTF8.GetBytes("345"), await store.ReadRangeAsync("shard-2/embeddings.parquet", 3, 3, timeout.Token));
        Assert.Equal(
            ["shard-1/embeddings.parquet", "shard-10/errors.parquet", "shard-2/embeddings.parquet"],
            await store.ListAsync("", timeout.Token).ToListAsync(timeout.Token));
        Assert.Equal(["shard-1/embeddings.parquet", "shard-10/errors.parquet"], await store.ListAsync("shard-1", timeout.Token).ToListAsync(timeout.Token));

        await store.DeleteAsync("shard-2/embeddings.parquet", timeout.Token);
        await store.DeleteAsync("shard-2/embeddings.parquet", timeout.Token);

        Assert.False(await store.ExistsAsync("shard-2/embeddings.parquet", timeout.Token));
    }

    [Fact]
    public async Task WriteAsync_ManyBlocks_CommitsWholeContentAndContentType()
    {
        var store = OpenStore("big");
        var content = new byte[(7 * SmallBlock) + 12345];
        new Random(7).NextBytes(content);

        await store.WriteAsync(
            "data.parquet",
            async (stream, cancellationToken) =>
            {
                // Odd-sized writes cross block boundaries.
                for (var offset = 0; offset < content.Length; offset += 300_001)
                {
                    await stream.WriteAsync(content.AsMemory(offset, Math.Min(300_001, content.Length - offset)), cancellationToken);
                }
            },
            timeout.Token);

        var blob = Container().GetBlobClient("big/data.parquet");
        var properties = (await blob.GetPropertiesAsync(cancellationToken: timeout.Token)).Value;
        Assert.Equal("application/vnd.apache.parquet", properties.ContentType);
        Assert.Equal(content.Length, properties.ContentLength);
        Assert.Equal(content, (await blob.DownloadContentAsync(timeout.Token)).Value.Content.ToArray());
        Assert.Equal(content.AsSpan(SmallBlock - 10, 20).ToArray(), await store.ReadRangeAsync("data.parquet", SmallBlock - 10, 20, timeout.Token));
    }

    [Fact]
    public async Task WriteAsync_CallbackThrows_NoPartialBlobVisible()
    {
        var store = OpenStore("");
        await store.WriteAsync("kept.bin", LocalBlobStoreTests.WriteText("old"), timeout.Token);

        async Task FailAfterBlocks(Stream stream, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(new byte[(2 * SmallBlock) + 5], cancellationToken);
            throw new InvalidOperationException("encoder failed");
        }

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync("new.bin", FailAfterBlocks, timeout.Token));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.WriteAsync("kept.bin", FailAfterBlocks, timeout.Token));

        Assert.False(await store.ExistsAsync("new.bin", timeout.Token));
        Assert.Equal(["kept.bin"], await store.ListAsync("", timeout.Token).ToListAsync(timeout.Token));
        Assert.Equal("old", await ReadTextAsync(store, "kept.bin"));
    }

    [Fact]
    public async Task WriteAsync_Cancelled_NoBlobVisible()
    {
        var store = OpenStore("c");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);

        var write = store.WriteAsync(
            "x.bin",
            async (stream, cancellationToken) =>
            {
                await stream.WriteAsync(new byte[SmallBlock + 1], cancellationToken);
                cancellation.Cancel();
                await stream.WriteAsync(new byte[SmallBlock], cancellationToken);
            },
            cancellation.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.False(await store.ExistsAsync("x.bin", timeout.Token));
    }

    [Fact]
    public async Task WriteAsync_ConcurrentStoresCreateContainerOnce()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => OpenStore("p")).ToArray();

        await Task.WhenAll(stores.Select((store, i) => store.WriteAsync($"f{i}.txt", LocalBlobStoreTests.WriteText("x"), timeout.Token)));

        Assert.Equal(["f0.txt", "f1.txt", "f2.txt", "f3.txt"], await stores[0].ListAsync("", timeout.Token).ToListAsync(timeout.Token));
    }

    [Fact]
    public async Task MissingBlobOrContainer_BehavesAsEmpty()
    {
        var store = OpenStore("q");

        Assert.Empty(await store.ListAsync("", timeout.Token).ToListAsync(timeout.Token));
        Assert.False(await store.ExistsAsync("a.txt", timeout.Token));
        await store.DeleteAsync("a.txt", timeout.Token);
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.OpenReadAsync("a.txt", timeout.Token));
        await Assert.ThrowsAsync<FileNotFoundException>(() => store.ReadRangeAsync("a.txt", 0, 4, timeout.Token));
    }

    [Fact]
    public async Task ReadRangeAsync_PastEnd_Throws()
    {
        var store = OpenStore("r");
        await store.WriteAsync("f.bin", LocalBlobStoreTests.WriteText("0123456789"), timeout.Token);

        await Assert.ThrowsAsync<EndOfStreamException>(() => store.ReadRangeAsync("f.bin", 8, 3, timeout.Token));
        await Assert.ThrowsAsync<EndOfStreamException>(() => store.ReadRangeAsync("f.bin", 20, 3, timeout.Token));
    }

    [Fact]
    public async Task Factory_OpensAzuriteUriAndConfiguredAccount()
    {
        var byUri = BlobStoreFactory.Open($"{azurite.BlobEndpoint}/{containerName}/via/uri");
        var byAccount = BlobStoreFactory.Open($"az://{containerName}/via", new BlobStoreOptions { ConnectionString = azurite.ConnectionString });

        await byUri.WriteAsync("f.txt", LocalBlobStoreTests.WriteText("through the uri"), timeout.Token);

        Assert.IsType<AzureBlobStore>(byUri);
        Assert.Equal($"{azurite.BlobEndpoint}/{containerName}/via/uri", byUri.DisplayRoot);
        Assert.Equal(["uri/f.txt"], await byAccount.ListAsync("", timeout.Token).ToListAsync(timeout.Token));
        Assert.DoesNotContain(AzuriteFixture.AccountKey, byAccount.DisplayRoot, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmbeddingParquet_RoundTripsThroughBlob()
    {
        var metadata = new EmbeddingFileMetadata("imagebind", "text", "sha256:model", 1024);
        var rows = EmbeddingParquetTests.MakeRows(600, metadata);
        var store = OpenStore("shards");

        // 600 x 1024 floats is about 2.4 MB, so the blob spans several 1 MiB blocks.
        await store.WriteAsync("s1/embeddings.parquet", (s, ct) => EmbeddingParquetWriter.WriteAsync(s, metadata, rows, ct), timeout.Token);

        await using var input = await store.OpenReadAsync("s1/embeddings.parquet", timeout.Token);
        await using var reader = await EmbeddingParquetReader.OpenAsync(input, leaveOpen: false, timeout.Token);
        var read = await reader.ReadRowsAsync(timeout.Token).ToListAsync(timeout.Token);
        Assert.Equal(rows.Select(r => r.Id), read.Select(r => r.Id));
        Assert.Equal(rows[599].Embedding, read[599].Embedding);
    }

    internal static async Task<string> ReadTextAsync(IBlobStore store, string path)
    {
        await using var stream = await store.OpenReadAsync(path, CancellationToken.None);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private BlobContainerClient Container() => new(azurite.ConnectionString, containerName, AzureBlobStore.CreateClientOptions());

    private AzureBlobStore OpenStore(string prefix) => new(Container(), prefix, SmallBlock);
}
