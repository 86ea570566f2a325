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
/// An input embedded with a counted warning, such as text cut to the context length, also gets a
/// row in the shard's warnings file that names it.
/// </summary>
public sealed class WarningRowsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), $"freebind-warnings-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task Truncated_text_gets_warning_row()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var corpusFolder = Path.Combine(root, "corpus");
        Directory.CreateDirectory(corpusFolder);
        await File.WriteAllTextAsync(Path.Combine(corpusFolder, "long.txt"), string.Join(' ', Enumerable.Repeat("river", 3000)), timeout.Token);
        await File.WriteAllTextAsync(Path.Combine(corpusFolder, "short.txt"), "a dog on a beach", timeout.Token);

        var options = new EncoderOptions { Provider = ExecutionProvider.Cpu, IntraOpThreads = 1 };
        using var catalog = new EncoderCatalog(Options.Create(options), new ModelResolver(), NullLogger<EncoderCatalog>.Instance);
        var spaces = SpacesFile.Load(Path.Combine(SamplePaths.Corpus(), "..", "spaces.json"));
        var encoder = await catalog.GetAsync(spaces, "minilm", Modality.Text, timeout.Token);
        var corpus = CorpusFactory.Open(corpusFolder, new CorpusOptions { Modalities = new HashSet<Modality> { Modality.Text } });
        CorpusShard? shard = null;
        await foreach (var planned in corpus.PlanShardsAsync(1000, timeout.Token))
        {
            shard = planned;
        }

        var output = new LocalBlobStore(Path.Combine(root, "out"));
        var outcome = await new ShardEmbedder(NullLogger<ShardEmbedder>.Instance).EmbedAsync(
            corpus, shard!, [encoder], output, "fingerprint", new ShardEmbedSettings(BatchSize: 4), timeout.Token);

        var rows = new List<ErrorRow>();
        await using (var stream = await output.OpenReadAsync(OutputLayout.Warnings(0), timeout.Token))
        {
            await foreach (var row in ErrorParquetReader.ReadAsync(stream, timeout.Token))
            {
                rows.Add(row);
            }
        }

        var warning = Assert.Single(rows);
        Assert.Equal("long", warning.Id);
        Assert.Equal("long.txt", warning.Source);
        Assert.StartsWith("minilm/text: ", warning.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", warning.Message, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(outcome.Warnings).Value);
        Assert.Equal(2, outcome.Embedded["minilm/text"]);
    }
}
