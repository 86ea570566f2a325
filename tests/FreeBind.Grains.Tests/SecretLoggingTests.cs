using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Text;

using Azure.Storage.Blobs;
using Azure.Storage.Sas;

using FreeBind.Hosting;
using FreeBind.Jobs;
using FreeBind.Pipeline;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.Configuration;

using Orleans.Configuration;
using Orleans.TestingHost;

namespace FreeBind.Tests;

/// <summary>
/// Runs embedding jobs whose storage credentials are secrets: an account key in the silo's
/// connection string, and SAS URIs as input and output. Every log record of silo and client is
/// captured at trace level, and every activity and Azure SDK event is recorded. The test checks
/// that no secret appears there, nor in job statuses, client errors, manifests or error rows.
/// </summary>
public sealed class SecretLoggingTests : IAsyncLifetime
{
    private const string AzureActivitySourceSwitch = "Azure.Experimental.EnableActivitySource";
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(3);

    private readonly AzuriteFixture azurite = new();
    private readonly string logKey;
    private readonly CapturingLoggerProvider logs;
    private readonly ConcurrentQueue<string> activities = new();
    private readonly ActivityListener activityListener;
    private readonly AzureEventCapture azureEvents = new();
    private TestCluster? cluster;

    public SecretLoggingTests()
    {
        (logKey, logs) = CapturingLoggerProvider.Register();

        // Azure SDK clients emit activities only with this switch; turned on so their tags are checked too.
        AppContext.SetSwitch(AzureActivitySourceSwitch, true);
        activityListener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => activities.Enqueue(Describe(activity)),
        };
        ActivitySource.AddActivityListener(activityListener);
    }

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();

        var builder = new TestClusterBuilder(1);
        builder.Properties["FreeBind:Storage:ConnectionString"] = azurite.ConnectionString;
        builder.Properties[CapturingLoggerProvider.KeyProperty] = logKey;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        cluster = builder.Build();
        await cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        activityListener.Dispose();
        azureEvents.Dispose();
        CapturingLoggerProvider.Unregister(logKey);
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task Jobs_LeakNoSecret()
    {
        var account = new BlobServiceClient(azurite.ConnectionString);
        var corpus = account.GetBlobContainerClient($"corpus-{Guid.NewGuid():N}");
        await corpus.CreateAsync();
        await UploadCorpusAsync(corpus);
        var outputs = account.GetBlobContainerClient($"outputs-{Guid.NewGuid():N}");
        await outputs.CreateAsync();

        var inputSas = corpus.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1));
        var expiredSas = corpus.GenerateSasUri(new BlobSasBuilder(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(-1))
        {
            BlobContainerName = corpus.Name,
            StartsOn = DateTimeOffset.UtcNow.AddHours(-2),
        });
        var outputSas = outputs.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));
        var missing = account.GetBlobContainerClient($"missing-{Guid.NewGuid():N}");
        var missingSas = missing.GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1));
        var secrets = new Dictionary<string, string>
        {
            ["account key"] = AzuriteFixture.AccountKey,
            ["input SAS signature"] = Signature(inputSas),
            ["expired SAS signature"] = Signature(expiredSas),
            ["output SAS signature"] = Signature(outputSas),
            ["missing container SAS signature"] = Signature(missingSas),
        };

        // A SAS input with the output in the connection string's account, and a SAS output. Then
        // failures: an input container that does not exist (it lists no files, which fails the
        // job), an expired SAS, and an output container that does not exist.
        var good = await RunAsync(WithPath(inputSas, "set"), "az://" + outputs.Name + "/run-key");
        var sasOutput = await RunAsync(WithPath(inputSas, "set"), WithPath(outputSas, "run-sas"));
        var missingInput = await RunAsync(WithPath(missingSas, "set"), WithPath(outputSas, "run-missing-input"));
        var expired = await RunAsync(WithPath(expiredSas, "set"), WithPath(outputSas, "run-expired"));
        var missingOutput = await RunAsync(WithPath(inputSas, "set"), WithPath(missingSas, "run-missing-output"));
        var stored = await ReadOutputsAsync(outputs);

        Assert.Equal(EmbeddingJobState.Completed, good.Status?.State);
        Assert.Equal(EmbeddingJobState.Completed, sasOutput.Status?.State);
        Assert.True(good.Status!.Errors >= 1, "broken.png should give an error row");
        Assert.Equal(EmbeddingJobState.Failed, missingInput.Status?.State);
        Assert.Contains("lists no files", missingInput.Status?.FailureReason, StringComparison.Ordinal);
        Assert.NotEqual(EmbeddingJobState.Completed, expired.Status?.State);
        Assert.NotEqual(EmbeddingJobState.Completed, missingOutput.Status?.State);
        Assert.Contains(logs.Lines, line => line.StartsWith("Trace", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("[400] Job", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("[402] Job", StringComparison.Ordinal));
        Assert.Contains(activities, line => line.Contains("127.0.0.1:" + azurite.BlobPort, StringComparison.Ordinal));
        Assert.NotEmpty(azureEvents.Lines);

        var client = new[] { good, sasOutput, missingInput, expired, missingOutput }.Select(run => run.Describe()).ToList();
        foreach (var (name, secret) in secrets)
        {
            Assert.True(secret.Length >= 20, $"{name} '{secret}' is too short to search for");
            AssertNoLeak("log records", name, secret, logs.Lines);
            AssertNoLeak("activities", name, secret, activities);
            AssertNoLeak("Azure SDK events", name, secret, azureEvents.Lines);
            AssertNoLeak("statuses and errors the client received", name, secret, client);
            AssertNoLeak("manifests and error rows", name, secret, stored);
        }
    }

    /// <summary>
    /// Fails when a line contains the secret (raw, percent-encoded or decoded), showing the first
    /// few such lines with the secret masked.
    /// </summary>
    private static void AssertNoLeak(string where, string name, string secret, IEnumerable<string> lines)
    {
        string[] forms = [secret, Uri.EscapeDataString(secret), Uri.UnescapeDataString(secret)];
        var leaks = lines.Where(line => forms.Any(form => line.Contains(form, StringComparison.Ordinal))).ToList();
        var examples = leaks.Take(3).Select(line => forms.Aggregate(line, (masked, form) => masked.Replace(form, "<" + name + ">", StringComparison.Ordinal)));
        Assert.True(leaks.Count == 0, $"{name} appears in {leaks.Count} of the {where}, such as:\n" + string.Join("\n---\n", examples));
    }

    /// <summary>Returns the sig parameter of a SAS URI as it appears in the URI (percent-encoded).</summary>
    private static string Signature(Uri sas)
    {
        var parameter = sas.Query.TrimStart('?').Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal));
        return parameter["sig=".Length..];
    }

    private static string WithPath(Uri containerSas, string path) =>
        $"{containerSas.GetLeftPart(UriPartial.Path)}/{path}{containerSas.Query}";

    private static async Task UploadCorpusAsync(BlobContainerClient corpus)
    {
        foreach (var name in new[] { "bricks.png", "bricks.txt", "granite.jpg", "granite.txt" })
        {
            await corpus.GetBlobClient("set/" + name).UploadAsync(Path.Combine(RepositoryPaths.SampleCorpus, name));
        }

        await corpus.GetBlobClient("set/broken.png").UploadAsync(BinaryData.FromString("not a PNG file"));
    }

    /// <summary>Returns every JSON blob and every error row written under the outputs container.</summary>
    private static async Task<List<string>> ReadOutputsAsync(BlobContainerClient outputs)
    {
        var found = new List<string>();
        await foreach (var blob in outputs.GetBlobsAsync())
        {
            var content = await outputs.GetBlobClient(blob.Name).DownloadContentAsync();
            if (blob.Name.EndsWith(".json", StringComparison.Ordinal))
            {
                found.Add($"{blob.Name}: {content.Value.Content}");
            }
            else if (blob.Name.Contains("errors/", StringComparison.Ordinal))
            {
                await foreach (var row in ErrorParquetReader.ReadAsync(content.Value.Content.ToStream(), CancellationToken.None))
                {
                    found.Add($"{blob.Name}: {row}");
                }
            }
        }

        Assert.Contains(found, line => line.Contains(OutputLayout.JobManifest, StringComparison.Ordinal));
        Assert.Contains(found, line => line.Contains("broken", StringComparison.Ordinal));
        return found;
    }

    private async Task<JobRun> RunAsync(string input, string output)
    {
        var job = cluster!.Client.GetGrain<IEmbeddingJobGrain>($"secret-{Guid.NewGuid():N}");
        var request = JobRunner.Request(input, output, shardSize: 2) with { Modalities = ["image", "text"] };
        try
        {
            await job.StartAsync(request);
        }
        catch (Exception exception)
        {
            return new JobRun(null, exception);
        }

        using var deadline = new CancellationTokenSource(JobTimeout);
        while (true)
        {
            var status = await job.GetStatusAsync();
            if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed)
            {
                return new JobRun(status, null);
            }

            // Polling with a deadline: the job has no completion event a test client can await.
            await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
        }
    }

    private static string Describe(Activity activity)
    {
        var text = new StringBuilder()
            .Append(activity.Source.Name).Append(' ').Append(activity.OperationName).Append(' ')
            .Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription);
        foreach (var (key, value) in activity.TagObjects)
        {
            text.Append(" | ").Append(key).Append('=').Append(value);
        }

        foreach (var (key, value) in activity.Baggage)
        {
            text.Append(" | baggage ").Append(key).Append('=').Append(value);
        }

        foreach (var item in activity.Events)
        {
            text.Append(" | event ").Append(item.Name);
            foreach (var (key, value) in item.Tags)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }
        }

        return text.ToString();
    }

    /// <summary>A job's final status, or the exception its start raised.</summary>
    private sealed record JobRun(EmbeddingJobStatus? Status, Exception? Failure)
    {
        public string Describe() =>
            $"{Status?.Input} {Status?.Output} {Status?.FailureReason} {Status?.Waiting} {Failure}";
    }

    /// <summary>Records every event of the Azure SDK's event sources, payloads included.</summary>
    private sealed class AzureEventCapture : EventListener
    {
        private readonly ConcurrentQueue<string> lines = new();

        public IReadOnlyList<string> Lines => lines.ToArray();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name.StartsWith("Azure-", StringComparison.Ordinal))
            {
                EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            var payload = string.Join(", ", eventData.Payload?.Select(p => p?.ToString()) ?? []);
            lines.Enqueue($"{eventData.EventSource.Name} {eventData.EventName}: {payload}");
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(FreeBindStorage.StateStorageName);
            siloBuilder.AddFreeBind(siloBuilder.Configuration, new Dictionary<string, string>());
            CapturingLoggerProvider.AddTo(siloBuilder.Services, siloBuilder.Configuration[CapturingLoggerProvider.KeyProperty]);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder)
        {
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
            CapturingLoggerProvider.AddTo(clientBuilder.Services, configuration[CapturingLoggerProvider.KeyProperty]);
        }
    }
}
