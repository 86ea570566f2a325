using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests.Storage;

/// <summary>Uses its own Azurite instance because it restarts it.</summary>
public sealed class AzureBlobStoreRestartTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Store_SurvivesEmulatorRestart()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var store = BlobStoreFactory.Open($"az://restart/p", new BlobStoreOptions { ConnectionString = azurite.ConnectionString });
        await store.WriteAsync("before.txt", LocalBlobStoreTests.WriteText("kept"), timeout.Token);

        // The request below is sent while Azurite is down or starting; the SDK's retries carry it.
        var restart = azurite.RestartAsync(graceful: true, timeout.Token);
        var write = store.WriteAsync("during.txt", LocalBlobStoreTests.WriteText("written"), timeout.Token);
        await Task.WhenAll(restart, write);

        Assert.Equal("kept", await AzureBlobStoreTests.ReadTextAsync(store, "before.txt"));
        Assert.Equal("written", await AzureBlobStoreTests.ReadTextAsync(store, "during.txt"));
    }
}
