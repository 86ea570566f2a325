using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

using Azure.Storage.Blobs;

using FreeBind.Storage;

using Microsoft.Extensions.DependencyInjection;

namespace FreeBind.AppHost.Tests;

public sealed class LocalClusterTests
{
    // Azurite's published development key, the same in every Azurite install.
    private const string AzuriteKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task AppHostRunsSampleJobOnCluster()
    {
        var azurite = Path.Combine(RepositoryPaths.Root, "node_modules", "azurite", "dist", "src", "azurite.js");
        Assert.True(File.Exists(azurite), $"{azurite} is missing; run 'npm ci' in {RepositoryPaths.Root} first.");

        using var startTimeout = new CancellationTokenSource(StartTimeout);
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.FreeBind_AppHost>(startTimeout.Token);
        await using var app = await appHost.BuildAsync(startTimeout.Token);
        await app.StartAsync(startTimeout.Token);

        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        foreach (var resource in new[] { "azurite", "silo-gpu", "silo" })
        {
            await notifications.WaitForResourceHealthyAsync(resource, startTimeout.Token);
        }

        using var jobTimeout = new CancellationTokenSource(JobTimeout);
        var commands = app.Services.GetRequiredService<ResourceCommandService>();
        var started = await commands.ExecuteCommandAsync("client", KnownResourceCommands.StartCommand, jobTimeout.Token);
        Assert.True(started.Success, $"starting the client resource failed: {started.Message}");

        var finished = await notifications.WaitForResourceAsync(
            "client",
            e => e.Snapshot.State?.Text is { } state
                && (state == KnownResourceStates.Finished || state == KnownResourceStates.Exited || state == KnownResourceStates.FailedToStart),
            jobTimeout.Token);
        Assert.Equal(0, finished.Snapshot.ExitCode);

        // Read back through FreeBind's own blob store and Parquet reader, the path the silos wrote with.
        // Azurite listens on 127.0.0.1 only, while the endpoint's URL names localhost, which may
        // resolve to ::1 first.
        var blobPort = app.GetEndpoint("azurite", "blob").Port;
        var connectionString =
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteKey};" +
            $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;";
        var container = new BlobServiceClient(connectionString, AzureBlobStore.CreateClientOptions())
            .GetBlobContainerClient("freebind");
        var output = new AzureBlobStore(container, "aspire-sample");
        var parquet = new List<string>();
        await foreach (var path in output.ListAsync("embeddings/", jobTimeout.Token))
        {
            if (path.EndsWith(".parquet", StringComparison.Ordinal))
            {
                parquet.Add(path);
            }
        }

        Assert.Contains(parquet, path => path.StartsWith("embeddings/resnet18/image/", StringComparison.Ordinal));
        Assert.Contains(parquet, path => path.Contains("/text/", StringComparison.Ordinal));

        var rows = 0L;
        foreach (var path in parquet)
        {
            await using var stream = await output.OpenReadAsync(path, jobTimeout.Token);
            await using var reader = await EmbeddingParquetReader.OpenAsync(stream, leaveOpen: false, jobTimeout.Token);
            await foreach (var row in reader.ReadRowsAsync(jobTimeout.Token))
            {
                Assert.Equal(reader.Metadata.Dimension, row.Embedding.Length);
                rows++;
            }
        }

        // The sample corpus has 13 images and 17 captions; the generated audio encoder may add more.
        Assert.True(rows >= 30, $"the job wrote {rows} embeddings under aspire-sample/embeddings/, expected at least 30");
        Assert.True(
            await output.ExistsAsync("manifest.json", jobTimeout.Token),
            "the job wrote no manifest.json under aspire-sample/");
    }
}
