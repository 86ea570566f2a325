using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

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

        var blobEndpoint = app.GetEndpoint("azurite", "blob");
        var blobs = new BlobServiceClient(
            new Uri(blobEndpoint, "devstoreaccount1"),
            new StorageSharedKeyCredential("devstoreaccount1", AzuriteKey));
        var container = blobs.GetBlobContainerClient("freebind");
        var parquet = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "aspire-sample/embeddings/", jobTimeout.Token))
        {
            if (blob.Name.EndsWith(".parquet", StringComparison.Ordinal))
            {
                parquet.Add(blob.Name);
            }
        }

        Assert.Contains(parquet, name => name.StartsWith("aspire-sample/embeddings/resnet18/image/", StringComparison.Ordinal));
        Assert.Contains(parquet, name => name.Contains("/text/", StringComparison.Ordinal));

        foreach (var name in parquet)
        {
            var content = (await container.GetBlobClient(name).DownloadContentAsync(jobTimeout.Token)).Value.Content.ToArray();
            Assert.True(content.Length > 8, $"{name} has {content.Length} bytes, too few for a Parquet file");
            Assert.True(
                content.AsSpan(0, 4).SequenceEqual("PAR1"u8) && content.AsSpan(content.Length - 4).SequenceEqual("PAR1"u8),
                $"{name} does not start and end with the Parquet magic 'PAR1'");
        }

        var marker = container.GetBlobClient("aspire-sample/manifest.json");
        Assert.True((await marker.ExistsAsync(jobTimeout.Token)).Value, "the job wrote no manifest.json under aspire-sample/");
    }
}
