using System.Text.Json;

using FreeBind.Demo;
using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Spaces;

using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

using Xunit.Abstractions;

namespace FreeBind.Tests.Demo;

public sealed class DemoWorldRetrievalTests(DemoWorldFixture fixture, ITestOutputHelper output) : IClassFixture<DemoWorldFixture>
{
    // Margins and floors sit well below the measured values (see docs/demo-world.md), so noise in
    // a future change of the preprocessors does not flip them, but a world where the experts stop
    // helping does.
    private const double ExpertMargin = 0.15;
    private const double UnifiedFloorOverChance = 0.2;

    [Fact]
    public async Task EveryEncoder_PassesModelCheck()
    {
        var spaces = SpacesFile.Load(fixture.Summary.SpacesFile);
        using var catalog = CreateCatalog();

        foreach (var space in spaces.Spaces)
        {
            foreach (var spec in space.Encoders)
            {
                // GetAsync runs EncoderModelCheck and throws EncoderStartupException on a mismatch.
                var encoder = await catalog.GetAsync(spaces, space.Name, spec.Modality, CancellationToken.None);
                Assert.Equal(spec.Dimension, encoder.Spec.Dimension);
            }
        }
    }

    // NOTE: this test embeds 96 recordings through both audio recipes; in a Debug build on a busy
    // 2-core machine it took about 3 minutes.
    [Fact]
    public async Task Experts_BeatUnifiedOnTheirPairs()
    {
        var spaces = SpacesFile.Load(fixture.Summary.SpacesFile);
        using var catalog = CreateCatalog();
        var eval = ReadEvalLabels();
        var chance = 1.0 / fixture.Summary.Concepts.Count;

        var unified = await EmbedAsync(catalog, spaces, "unified", eval);
        var imageText = await EmbedAsync(catalog, spaces, "image-text", eval);
        var audioText = await EmbedAsync(catalog, spaces, "audio-text", eval);

        var results = new Dictionary<string, double>
        {
            ["unified image->text"] = Recall(unified, eval, Modality.Image, Modality.Text),
            ["unified text->image"] = Recall(unified, eval, Modality.Text, Modality.Image),
            ["unified audio->text"] = Recall(unified, eval, Modality.Audio, Modality.Text),
            ["unified text->audio"] = Recall(unified, eval, Modality.Text, Modality.Audio),
            ["unified audio->image"] = Recall(unified, eval, Modality.Audio, Modality.Image),
            ["unified image->audio"] = Recall(unified, eval, Modality.Image, Modality.Audio),
            ["image-text image->text"] = Recall(imageText, eval, Modality.Image, Modality.Text),
            ["image-text text->image"] = Recall(imageText, eval, Modality.Text, Modality.Image),
            ["audio-text audio->text"] = Recall(audioText, eval, Modality.Audio, Modality.Text),
            ["audio-text text->audio"] = Recall(audioText, eval, Modality.Text, Modality.Audio),
        };
        foreach (var (pair, recall) in results)
        {
            output.WriteLine($"{pair}: R@1 {recall:F3} (chance {chance:F3})");
        }

        Assert.True(results["image-text image->text"] > results["unified image->text"] + ExpertMargin,
            $"image-text expert image->text R@1 {results["image-text image->text"]:F3} is not {ExpertMargin} above unified's {results["unified image->text"]:F3}");
        Assert.True(results["audio-text audio->text"] > results["unified audio->text"] + ExpertMargin,
            $"audio-text expert audio->text R@1 {results["audio-text audio->text"]:F3} is not {ExpertMargin} above unified's {results["unified audio->text"]:F3}");
        foreach (var pair in new[] { "unified image->text", "unified audio->text", "unified audio->image" })
        {
            Assert.True(results[pair] > chance + UnifiedFloorOverChance,
                $"{pair} R@1 {results[pair]:F3} is not {UnifiedFloorOverChance} above chance {chance:F3}");
        }
    }

    private static EncoderCatalog CreateCatalog() => new(
        Options.Create(new EncoderOptions { Provider = ExecutionProvider.Cpu }),
        new ModelResolver(),
        NullLogger<EncoderCatalog>.Instance);

    private List<DemoLabel> ReadEvalLabels() =>
        File.ReadLines(fixture.Summary.Labels)
            .Select(line => JsonSerializer.Deserialize<DemoLabel>(line, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!)
            .Where(label => label.Split == "eval")
            .ToList();

    private async Task<Dictionary<DemoLabel, float[]>> EmbedAsync(
        EncoderCatalog catalog, SpacesFile spaces, string space, List<DemoLabel> labels)
    {
        var embeddings = new Dictionary<DemoLabel, float[]>();
        foreach (var spec in spaces.GetSpace(space).Encoders)
        {
            var encoder = await catalog.GetAsync(spaces, space, spec.Modality, CancellationToken.None);
            var items = labels.Where(label => label.Modality == spec.Modality.ToName()).ToList();
            foreach (var batch in items.Chunk(spec.BatchSize))
            {
                var inputs = batch
                    .Select(label => encoder.Preprocessor.Preprocess(File.ReadAllBytes(Path.Combine(fixture.Summary.Folder, label.Path))))
                    .ToList();
                var vectors = encoder.Encode(inputs);
                for (var i = 0; i < batch.Length; i++)
                {
                    embeddings[batch[i]] = vectors[i];
                }
            }
        }

        return embeddings;
    }

    private static double Recall(Dictionary<DemoLabel, float[]> embeddings, List<DemoLabel> labels, Modality from, Modality to)
    {
        var queries = labels.Where(label => label.Modality == from.ToName()).ToList();
        var candidates = labels.Where(label => label.Modality == to.ToName()).ToList();
        return DemoRetrieval.RecallAt1(
            queries.Select(label => embeddings[label]).ToList(),
            queries.Select(label => label.Concept).ToList(),
            candidates.Select(label => embeddings[label]).ToList(),
            candidates.Select(label => label.Concept).ToList());
    }
}
