using FreeBind.Corpus;
using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Pipeline;
using FreeBind.Spaces;
using FreeBind.Storage;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace FreeBind.Core.Tests.Pipeline;

/// <summary>
/// A shard embedded by several inference streams contains every item once, in corpus order, with
/// the vectors one stream gives, and keeps its error rows.
/// </summary>
public sealed class InferenceStreamsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"freebind-streams-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Three_streams_match_one_stream()
    {
        var corpus = Path.Combine(root, "corpus");
        Directory.CreateDirectory(corpus);
        var images = Directory.EnumerateFiles(SamplePaths.Corpus())
            .Where(path => path.EndsWith(".jpg", StringComparison.Ordinal) || path.EndsWith(".png", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();

        // 5 copies of each sample image: with batches of 4, the shard ends in partial batches
        // that the streams share out.
        for (var copy = 0; copy < 5; copy++)
        {
            foreach (var image in images)
            {
                File.Copy(image, Path.Combine(corpus, $"c{copy}-{Path.GetFileName(image)}"));
            }
        }

        await File.WriteAllBytesAsync(Path.Combine(corpus, "broken.jpg"), [0xFF, 0xD8, 0xFF, 0x00, 0x13]);
        var expected = (images.Count * 5) + 1;

        var oneStream = await EmbedAsync(corpus, streams: 1);
        var threeStreams = await EmbedAsync(corpus, streams: 3);

        Assert.Equal(1, oneStream.Plan.Streams);
        Assert.Equal(3, threeStreams.Plan.Streams);
        Assert.Equal(expected - 1, oneStream.Rows.Count);
        Assert.Equal(oneStream.Rows.Select(r => r.Id), threeStreams.Rows.Select(r => r.Id));
        Assert.Equal(oneStream.Rows.Count, threeStreams.Rows.Select(r => r.Id).Distinct().Count());
        for (var i = 0; i < oneStream.Rows.Count; i++)
        {
            var difference = oneStream.Rows[i].Embedding.Zip(threeStreams.Rows[i].Embedding).Max(p => Math.Abs(p.First - p.Second));
            Assert.True(difference <= 1e-5f, $"{oneStream.Rows[i].Id}: vectors differ by {difference}");
        }

        Assert.Equal(1, oneStream.Outcome.Errors.GetValueOrDefault("decode"));
        Assert.Equal(1, threeStreams.Outcome.Errors.GetValueOrDefault("decode"));
    }

    private async Task<(InferencePlan Plan, ShardOutcome Outcome, List<EmbeddingRow> Rows)> EmbedAsync(string corpusFolder, int streams)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var options = new EncoderOptions { Provider = ExecutionProvider.Cpu, InferenceStreams = streams, IntraOpThreads = 1 };
        using var catalog = new EncoderCatalog(Options.Create(options), new ModelResolver(), NullLogger<EncoderCatalog>.Instance);
        var spaces = SpacesFile.Load(Path.Combine(SamplePaths.Corpus(), "..", "spaces.json"));
        var encoder = await catalog.GetAsync(spaces, "resnet18", Modality.Image, timeout.Token);

        var corpus = CorpusFactory.Open(corpusFolder, new CorpusOptions { Modalities = new HashSet<Modality> { Modality.Image } });
        CorpusShard? shard = null;
        await foreach (var planned in corpus.PlanShardsAsync(1000, timeout.Token))
        {
            shard = planned;
        }

        var output = new LocalBlobStore(Path.Combine(root, $"out-{streams}"));
        var outcome = await new ShardEmbedder(NullLogger<ShardEmbedder>.Instance).EmbedAsync(
            corpus, shard!, [encoder], output, "fingerprint", new ShardEmbedSettings(BatchSize: 4), timeout.Token);

        await using var stream = await output.OpenReadAsync(OutputLayout.Embeddings("resnet18", "image", 0), timeout.Token);
        await using var reader = await EmbeddingParquetReader.OpenAsync(stream, leaveOpen: false, timeout.Token);
        var rows = new List<EmbeddingRow>();
        await foreach (var row in reader.ReadRowsAsync(timeout.Token))
        {
            rows.Add(row);
        }

        return (encoder.Plan, outcome, rows);
    }
}
