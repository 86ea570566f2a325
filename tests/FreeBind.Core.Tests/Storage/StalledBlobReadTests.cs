using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using FreeBind.Corpus;
using FreeBind.Media;
using FreeBind.Storage;
using FreeBind.Tests.Corpus;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Storage;

/// <summary>Blob reads from a loopback server that accepts connections and never responds.</summary>
public sealed class StalledBlobReadTests
{
    private static readonly Func<string, string?> NoEnvironment = _ => null;

    [Fact]
    public async Task StalledReadFailsWithOneLine()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var heldClients = new ConcurrentQueue<TcpClient>();
        using var stop = new CancellationTokenSource();
        var accepting = AcceptAndHoldAsync(listener, heldClients, stop.Token);
        try
        {
            using var folder = new TempFolder();
            var blob = $"http://127.0.0.1:{port}/devstoreaccount1/stalled/x.jpg";
            var manifest = folder.Write("m.jsonl", $$"""{"id": "a", "image": "{{blob}}"}""");
            var settings = new BlobStoreOptions { NetworkTimeout = TimeSpan.FromSeconds(1), MaxRetries = 1 };
            var corpus = CorpusFactory.Open(
                manifest, new CorpusOptions(), uri => BlobStoreFactory.OpenCore(uri, settings, NoEnvironment));
            var image = Entries(await PlanAllAsync(corpus, 10)).Single().Media.Single();

            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(image, Token));
            watch.Stop();

            Assert.Equal("read", error.Stage);
            Assert.Equal(
                $"Reading blob '{blob}' timed out: no response within 1 s on each of 2 tries. Check the network and "
                + "the storage account, or raise FreeBind:Storage:NetworkTimeout (now 00:00:01) or "
                + "FreeBind:Storage:MaxRetries (now 1).",
                error.Message);
            Assert.DoesNotContain('\n', error.Message);
            Assert.InRange(watch.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
            Assert.NotEmpty(heldClients);
        }
        finally
        {
            await stop.CancelAsync();
            listener.Stop();
            await accepting;
            foreach (var client in heldClients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public void ClientOptionsFollowSettings()
    {
        var defaults = AzureBlobStore.CreateClientOptions();
        var custom = AzureBlobStore.CreateClientOptions(
            new BlobStoreOptions { NetworkTimeout = TimeSpan.FromSeconds(5), MaxRetries = 0 });

        Assert.Equal(TimeSpan.FromSeconds(30), defaults.Retry.NetworkTimeout);
        Assert.Equal(3, defaults.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(5), custom.Retry.NetworkTimeout);
        Assert.Equal(0, custom.Retry.MaxRetries);
        Assert.Throws<ArgumentOutOfRangeException>(
            () => AzureBlobStore.CreateClientOptions(new BlobStoreOptions { NetworkTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(
            () => AzureBlobStore.CreateClientOptions(new BlobStoreOptions { MaxRetries = 11 }));
    }

    /// <summary>Accepts every connection and keeps it open without reading or writing, until
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    private static async Task AcceptAndHoldAsync(
        TcpListener listener, ConcurrentQueue<TcpClient> heldClients, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                heldClients.Enqueue(await listener.AcceptTcpClientAsync(cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
            // The test is over.
        }
    }
}
