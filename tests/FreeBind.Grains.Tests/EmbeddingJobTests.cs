using FreeBind.Jobs;
using FreeBind.Pipeline;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

public sealed class EmbeddingJobTests(GpuClusterFixture fixture) : IClassFixture<GpuClusterFixture>
{
    private static readonly string[] ImageExtensions = [".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp"];

    private static int CountSamples(params string[] extensions) =>
        Directory.EnumerateFiles(RepositoryPaths.SampleCorpus)
            .Count(f => extensions.Contains(Path.GetExtension(f).ToLowerInvariant()));

    [Fact]
    public async Task SampleCorpus_WritesParquetThatDuckDbReads()
    {
        using var output = new TempDirectory();
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path);

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, request);

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        var images = CountSamples(ImageExtensions);
        var texts = CountSamples(".txt");
        var imageGlob = output.Combine("embeddings", "resnet18", "image", "*.parquet");
        var textGlob = output.Combine("embeddings", "minilm", "text", "*.parquet");
        Assert.Equal(images, DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{imageGlob}')"));
        Assert.Equal(images, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{imageGlob}')"));
        Assert.Equal(texts, DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{textGlob}')"));
        Assert.Equal(512, DuckDb.Scalar<long>($"SELECT min(len(embedding)) FROM read_parquet('{imageGlob}')"));
        Assert.Equal(512, DuckDb.Scalar<long>($"SELECT max(len(embedding)) FROM read_parquet('{imageGlob}')"));
        Assert.Equal(384, DuckDb.Scalar<long>($"SELECT min(len(embedding)) FROM read_parquet('{textGlob}')"));
        var norms = DuckDb.Query(
            $"SELECT sqrt(list_sum(list_transform(embedding, x -> x * x))) FROM read_parquet('{imageGlob}')");
        Assert.All(norms, row => Assert.Equal(1.0, Convert.ToDouble(row[0], System.Globalization.CultureInfo.InvariantCulture), 4));
        Assert.Equal(["resnet18"], DuckDb.Query($"SELECT DISTINCT space FROM read_parquet('{imageGlob}')").Select(r => (string)r[0]!));
        Assert.Equal(["image"], DuckDb.Query($"SELECT DISTINCT modality FROM read_parquet('{imageGlob}')").Select(r => (string)r[0]!));
        Assert.True(File.Exists(output.Combine(OutputLayout.JobManifest)));
        Assert.Equal(0, status.Errors);
    }

    [Fact]
    public async Task SampleCorpus_EmbedsAudio()
    {
        using var output = new TempDirectory();
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path);

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, request);

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        Assert.Equal(0, status.Errors);
        var recordings = CountSamples(".wav");
        Assert.True(recordings > 0, $"no .wav files in '{RepositoryPaths.SampleCorpus}'");
        var audioGlob = output.Combine("embeddings", "generated-audio", "audio", "*.parquet");
        Assert.Equal(recordings, DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{audioGlob}')"));
        Assert.Equal(recordings, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{audioGlob}')"));
        Assert.Equal(64, DuckDb.Scalar<long>($"SELECT min(len(embedding)) FROM read_parquet('{audioGlob}')"));
        Assert.Equal(64, DuckDb.Scalar<long>($"SELECT max(len(embedding)) FROM read_parquet('{audioGlob}')"));
        var norms = DuckDb.Query(
            $"SELECT sqrt(list_sum(list_transform(embedding, x -> x * x))) FROM read_parquet('{audioGlob}')");
        Assert.All(norms, row => Assert.Equal(1.0, Convert.ToDouble(row[0], System.Globalization.CultureInfo.InvariantCulture), 4));

        // Different recordings must give different vectors, or the features never reached the model.
        Assert.Equal(recordings, DuckDb.Scalar<long>($"SELECT count(DISTINCT embedding) FROM read_parquet('{audioGlob}')"));
        Assert.Equal(["generated-audio"], DuckDb.Query($"SELECT DISTINCT space FROM read_parquet('{audioGlob}')").Select(r => (string)r[0]!));
        Assert.Equal(["audio"], DuckDb.Query($"SELECT DISTINCT modality FROM read_parquet('{audioGlob}')").Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task InterruptedJob_ResumesWithoutDuplicates()
    {
        using var output = new TempDirectory();
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, shardSize: 3);
        var first = await JobRunner.RunAsync(fixture.Cluster.Client, request);
        Assert.Equal(EmbeddingJobState.Completed, first.State);
        Assert.True(first.ShardsDone >= 2, $"expected several shards, got {first.ShardsDone}");

        // An interrupted job leaves some shards without outputs or markers: remove shard 1's.
        File.Delete(output.Combine("shards", "shard-000001.json"));
        File.Delete(output.Combine("embeddings", "resnet18", "image", "shard-000001.parquet"));
        var second = await JobRunner.RunAsync(fixture.Cluster.Client, request);

        Assert.Equal(EmbeddingJobState.Completed, second.State);
        Assert.Equal(first.ShardsDone - 1, second.ShardsSkipped);
        Assert.Equal(first.EntriesDone - 3, second.EntriesSkipped);
        var glob = output.Combine("embeddings", "resnet18", "image", "*.parquet");
        var total = DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{glob}')");
        Assert.Equal(CountSamples(ImageExtensions), total);
        Assert.Equal(total, DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{glob}')"));
    }

    [Fact]
    public async Task CancelledJob_KeepsShardsAndResumes()
    {
        using var output = new TempDirectory();
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, shardSize: 1) with { MaxShardsInFlight = 1 };
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");
        await job.StartAsync(request);

        // One-entry shards run one at a time, so the job is cancelled with most of them left.
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while ((await job.GetStatusAsync()).ShardsDone == 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }

        var cancelled = await job.CancelAsync();

        Assert.Equal(EmbeddingJobState.Cancelled, cancelled.State);
        Assert.Contains("running the same command again resumes the job", cancelled.FailureReason, StringComparison.Ordinal);
        Assert.InRange(cancelled.ShardsDone, 1, cancelled.ShardsPlanned - 1);
        Assert.False(File.Exists(output.Combine(OutputLayout.JobManifest)));
        Assert.Equal(cancelled.State, (await job.CancelAsync()).State);

        // Starting the same job again resumes it: completed shards are skipped, the rest embedded once.
        await job.StartAsync(request);
        var resumed = await job.GetStatusAsync();
        while (resumed.State == EmbeddingJobState.Running)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            resumed = await job.GetStatusAsync();
        }

        Assert.Equal(EmbeddingJobState.Completed, resumed.State);
        Assert.True(resumed.ShardsSkipped >= cancelled.ShardsDone, $"{resumed.ShardsSkipped} skipped, {cancelled.ShardsDone} done before");
        var glob = output.Combine("embeddings", "resnet18", "image", "*.parquet");
        Assert.Equal(CountSamples(ImageExtensions), DuckDb.Scalar<long>($"SELECT count(*) FROM read_parquet('{glob}')"));
        Assert.Equal(CountSamples(ImageExtensions), DuckDb.Scalar<long>($"SELECT count(DISTINCT id) FROM read_parquet('{glob}')"));
    }

    [Fact]
    public async Task CancelledJob_CountsEveryShardWithMarker()
    {
        // Several one-entry shards in flight make it likely that some finish while the cancel
        // arrives. Whatever the timing, the status must count exactly the shards that have a marker.
        for (var run = 0; run < 3; run++)
        {
            using var output = new TempDirectory();
            var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, shardSize: 1) with { MaxShardsInFlight = 4 };
            var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");
            await job.StartAsync(request);
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while ((await job.GetStatusAsync()).ShardsDone == 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
            }

            var cancelled = await job.CancelAsync();

            Assert.Equal(EmbeddingJobState.Cancelled, cancelled.State);
            var markers = new List<ShardOutcome>();
            foreach (var file in Directory.EnumerateFiles(output.Combine("shards"), "*.json"))
            {
                var shard = int.Parse(Path.GetFileNameWithoutExtension(file)["shard-".Length..], System.Globalization.CultureInfo.InvariantCulture);
                markers.Add((await ShardEmbedder.TryReadMarkerAsync(new Storage.LocalBlobStore(output.Path), shard, deadline.Token))!);
            }

            Assert.Equal(markers.Count, cancelled.ShardsDone);
            Assert.Equal(markers.Sum(m => m.Entries), cancelled.EntriesDone);
            Assert.Equal(markers.Sum(m => m.Embedded.Values.Sum()), cancelled.Embeddings);
            Assert.All(markers, m => Assert.Equal(cancelled.Fingerprint, m.Fingerprint));
        }
    }

    [Fact]
    public async Task BadInputs_BecomeErrorRowsAndJobCompletes()
    {
        using var corpus = new TempDirectory();
        using var output = new TempDirectory();
        File.Copy(Directory.EnumerateFiles(RepositoryPaths.SampleCorpus, "*.png").First(), corpus.Combine("good.png"));
        File.WriteAllText(corpus.Combine("good.txt"), "a photo of a rose");
        File.WriteAllBytes(corpus.Combine("empty.png"), []);
        File.WriteAllBytes(corpus.Combine("garbage.jpg"), [1, 2, 3, 4, 5, 6, 7, 8]);
        var png = File.ReadAllBytes(corpus.Combine("good.png"));
        File.WriteAllBytes(corpus.Combine("truncated.png"), png[..40]);
        File.WriteAllBytes(corpus.Combine("latin1.txt"), [0x63, 0x61, 0x66, 0xE9, 0xFF]);
        File.WriteAllText(corpus.Combine("blank.txt"), "   ");
        File.WriteAllText(corpus.Combine("long.txt"), string.Join(' ', Enumerable.Repeat("word", 1000)));

        var status = await JobRunner.RunAsync(
            fixture.Cluster.Client, JobRunner.Request(corpus.Path, output.Path, shardSize: 100));

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        var errors = DuckDb.Query(
            $"SELECT id, stage FROM read_parquet('{output.Combine("errors", "*.parquet")}') ORDER BY id");
        var failedIds = errors.Select(r => (string)r[0]!).ToList();
        Assert.Equal(["blank", "empty", "garbage", "latin1", "truncated"], failedIds);
        Assert.Equal(5, status.Errors);
        var textGlob = output.Combine("embeddings", "minilm", "text", "*.parquet");
        Assert.Equal(["good", "long"], DuckDb.Query($"SELECT id FROM read_parquet('{textGlob}') ORDER BY id").Select(r => (string)r[0]!));
        Assert.Contains(status.Warnings, w => w.Key.Contains("truncated", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task ModelMismatch_FailsBeforeAnyWork()
    {
        using var output = new TempDirectory();
        using var spacesFolder = new TempDirectory();
        var spaces = File.ReadAllText(RepositoryPaths.SampleSpaces).Replace("\"dimension\": 512", "\"dimension\": 1024", StringComparison.Ordinal);
        var spacesPath = spacesFolder.Combine("spaces.json");
        File.WriteAllText(spacesPath, spaces);

        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, spacesPath: spacesPath);
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => job.StartAsync(request));

        Assert.Contains("resnet18/image", exception.Message, StringComparison.Ordinal);
        Assert.Contains("1024", exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output.Combine("embeddings")));
    }

    [Fact]
    public async Task EmptyInput_FailsNamingTheInput()
    {
        using var corpus = new TempDirectory();
        using var output = new TempDirectory();
        File.WriteAllText(corpus.Combine("notes.pdf"), "not a known extension");

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, JobRunner.Request(corpus.Path, output.Path));

        Assert.Equal(EmbeddingJobState.Failed, status.State);
        Assert.StartsWith($"input '{corpus.Path}' has no entries to embed", status.FailureReason, StringComparison.Ordinal);
        Assert.Contains(".jpg", status.FailureReason, StringComparison.Ordinal);
        Assert.False(File.Exists(output.Combine(OutputLayout.JobManifest)));
    }

    [Fact]
    public async Task CompletedJob_DeletesAbandonedTemporaryFiles()
    {
        // A process killed during a write leaves <name>.tmp-<guid> behind; the next run removes it.
        using var output = new TempDirectory();
        Directory.CreateDirectory(output.Combine("embeddings", "resnet18", "image"));
        var abandoned = output.Combine("embeddings", "resnet18", "image", $"shard-000000.parquet.tmp-{Guid.NewGuid():N}");
        File.WriteAllText(abandoned, "partial");
        File.SetLastWriteTimeUtc(abandoned, DateTime.UtcNow.AddMinutes(-5));

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path));

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        Assert.False(File.Exists(abandoned), "the abandoned temporary file is still there");
        Assert.Empty(Directory.EnumerateFiles(output.Path, "*.tmp-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task GzipNamedTar_FailsNamingCompression()
    {
        using var corpus = new TempDirectory();
        using var output = new TempDirectory();
        var tar = corpus.Combine("shard-0.tar");
        using (var file = File.Create(tar))
        using (var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(new byte[2048]);
        }

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, JobRunner.Request(tar, output.Path));

        // The plan error of the only tar is the reason, not the general "no entries" advice.
        Assert.Equal(EmbeddingJobState.Failed, status.State);
        Assert.StartsWith($"input '{tar}' has no entries to embed: 1 row(s) could not be planned", status.FailureReason, StringComparison.Ordinal);
        Assert.Contains("it is a gzip-compressed file, not a tar", status.FailureReason, StringComparison.Ordinal);
        Assert.True(Directory.EnumerateFiles(output.Combine("errors"), "*.parquet").Any(), "no error rows written");
    }

    [Fact]
    public async Task MissingInput_FailsAtStart()
    {
        using var output = new TempDirectory();
        var missing = output.Combine("no-such-corpus");
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");

        var exception = await Assert.ThrowsAsync<JobConfigurationException>(() => job.StartAsync(JobRunner.Request(missing, output.Path)));

        Assert.Equal($"input '{missing}' not found: check the path of the corpus folder, manifest or tar shards.", exception.Message);
        Assert.Null((await job.GetStatusAsync()).StartedAt);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(4097)]
    public async Task InvalidBatchSize_FailsAtStart(int batchSize)
    {
        using var output = new TempDirectory();
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");

        var exception = await Assert.ThrowsAsync<JobConfigurationException>(
            () => job.StartAsync(JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path) with { BatchSize = batchSize }));

        Assert.Equal($"batch size {batchSize} is invalid: use 1 to 4096, or 0 for each encoder's batchSize.", exception.Message);
    }

    [Fact]
    public async Task OutputFile_FailsAtStart()
    {
        using var folder = new TempDirectory();
        var file = folder.Combine("notes.txt");
        File.WriteAllText(file, "not a folder");
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");

        var exception = await Assert.ThrowsAsync<JobConfigurationException>(
            () => job.StartAsync(JobRunner.Request(RepositoryPaths.SampleCorpus, file)));

        Assert.Contains($"output '{file}' is a file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputInsideFile_FailsAtStart()
    {
        using var folder = new TempDirectory();
        var file = folder.Combine("notes.txt");
        File.WriteAllText(file, "not a folder");
        var output = Path.Combine(file, "run", "a");
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");

        var exception = await Assert.ThrowsAsync<JobConfigurationException>(
            () => job.StartAsync(JobRunner.Request(RepositoryPaths.SampleCorpus, output)));

        Assert.Contains($"output '{output}' is inside '{file}', which is a file", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwritableShardFolder_FailureNamesReason()
    {
        using var output = new TempDirectory();
        File.WriteAllText(output.Combine("shards"), "a file where the marker folder goes");

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, shardSize: 8));

        Assert.Equal(EmbeddingJobState.Failed, status.State);
        Assert.Matches(@"^\d+ shard\(s\) failed 3 times \(first: 0, IOException: ", status.FailureReason);
        Assert.Contains(output.Combine("shards"), status.FailureReason, StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", status.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', status.FailureReason!);
    }

    [Fact]
    public async Task FailedShard_StopsPlanningFurtherShards()
    {
        using var output = new TempDirectory();
        File.WriteAllText(output.Combine("shards"), "a file where the marker folder goes");
        var request = JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path, shardSize: 1) with { MaxShardsInFlight = 1 };

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, request);

        // One shard at a time: the first fails every attempt, and no other shard is started.
        Assert.Equal(EmbeddingJobState.Failed, status.State);
        Assert.Equal(1, status.ShardsPlanned);
        Assert.False(status.PlanningDone);
        Assert.StartsWith("1 shard(s) failed 3 times (first: 0, IOException: ", status.FailureReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnwritableManifest_FailureNamesManifest()
    {
        using var output = new TempDirectory();
        Directory.CreateDirectory(output.Combine(OutputLayout.JobManifest));

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, JobRunner.Request(RepositoryPaths.SampleCorpus, output.Path));

        Assert.Equal(EmbeddingJobState.Failed, status.State);
        Assert.StartsWith($"writing manifest.json under '{output.Path}' failed (", status.FailureReason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', status.FailureReason!);
    }

    [Fact]
    public async Task EndedJob_RunsAgainUnderSameId()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var jobId = $"test-{Guid.NewGuid():N}";
        var client = fixture.Cluster.Client;
        var done = await JobRunner.RunAsync(client, JobRunner.Request(RepositoryPaths.SampleCorpus, first.Path), jobId: jobId);
        Assert.Equal(EmbeddingJobState.Completed, done.State);

        // The output is gone, so the same request embeds every shard again.
        Directory.Delete(first.Path, recursive: true);
        var again = await JobRunner.RunAsync(client, JobRunner.Request(RepositoryPaths.SampleCorpus, first.Path), jobId: jobId);
        Assert.Equal(EmbeddingJobState.Completed, again.State);
        Assert.Equal(0, again.ShardsSkipped);
        Assert.Equal(done.Embeddings, again.Embeddings);
        Assert.True(File.Exists(first.Combine(OutputLayout.JobManifest)));

        // Another output under the same id is written there.
        var elsewhere = await JobRunner.RunAsync(client, JobRunner.Request(RepositoryPaths.SampleCorpus, second.Path), jobId: jobId);
        Assert.Equal(EmbeddingJobState.Completed, elsewhere.State);
        Assert.True(File.Exists(second.Combine(OutputLayout.JobManifest)));
    }

    [Fact]
    public async Task RunningJob_RejectsOtherWorkUnderItsId()
    {
        // 3000 captions keep the job running for seconds, while the second start takes milliseconds.
        using var input = new TempDirectory();
        using var output = new TempDirectory();
        using var other = new TempDirectory();
        var manifest = input.Combine("captions.jsonl");
        File.WriteAllLines(manifest, Enumerable.Range(0, 3000).Select(i => $"{{\"id\": \"c{i}\", \"text\": \"caption number {i}\"}}"));
        var request = JobRunner.Request(manifest, output.Path, shardSize: 500) with { Modalities = ["text"] };
        var job = fixture.Cluster.Client.GetGrain<IEmbeddingJobGrain>($"test-{Guid.NewGuid():N}");

        var started = await job.StartAsync(request);
        try
        {
            Assert.Equal(EmbeddingJobState.Running, started.State);

            // The same request again is a retry: it gets the running job's status.
            var retried = await job.StartAsync(request with { BatchSize = 8 });
            Assert.Equal(EmbeddingJobState.Running, retried.State);

            var exception = await Assert.ThrowsAsync<JobConfigurationException>(
                () => job.StartAsync(request with { Output = other.Path }));
            Assert.Contains("is already running with input", exception.Message, StringComparison.Ordinal);
            Assert.Contains($"output '{output.Path}'", exception.Message, StringComparison.Ordinal);
        }
        finally
        {
            await job.CancelAsync();
        }
    }

    [Fact]
    public async Task ManifestRoot_AdmitsAbsolutePathsUnderIt()
    {
        // The manifest lives elsewhere and names sample files by absolute path.
        using var lists = new TempDirectory();
        using var output = new TempDirectory();
        var manifest = lists.Combine("m.jsonl");
        File.WriteAllLines(manifest, [
            $"{{\"id\": \"bricks\", \"image\": \"{Path.Combine(RepositoryPaths.SampleCorpus, "bricks.png")}\"}}",
            "{\"id\": \"chord\", \"audio\": \"chord.wav\"}",
        ]);
        var request = JobRunner.Request(manifest, output.Path) with { ManifestRoot = RepositoryPaths.SampleCorpus };

        var status = await JobRunner.RunAsync(fixture.Cluster.Client, request);

        Assert.Equal(EmbeddingJobState.Completed, status.State);
        Assert.Equal(0, status.Errors);
        Assert.Equal(2, status.Embeddings);
    }
}
