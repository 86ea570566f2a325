using System.Security.Cryptography;
using System.Text.Json;

using FreeBind.Audio;
using FreeBind.Corpus;
using FreeBind.Demo;
using FreeBind.Imaging;
using FreeBind.Text;

namespace FreeBind.Tests.Demo;

public sealed class DemoWorldGeneratorTests(DemoWorldFixture fixture) : IClassFixture<DemoWorldFixture>
{
    private static DemoWorldOptions Tiny(int seed) =>
        new() { Seed = seed, Concepts = 3, ItemsPerConcept = 1, EvalPairsPerConcept = 1, CalibrationItems = 32 };

    [Fact]
    public void SameSeed_GivesIdenticalBytes()
    {
        var first = DemoWorldGenerator.Generate(Path.Combine(fixture.Root, "same-a"), Tiny(5));
        var second = DemoWorldGenerator.Generate(Path.Combine(fixture.Root, "same-b"), Tiny(5));

        var firstHashes = HashFiles(first.Folder);
        var secondHashes = HashFiles(second.Folder);

        Assert.Equal(firstHashes.Keys, secondHashes.Keys);
        foreach (var (path, hash) in firstHashes)
        {
            Assert.True(hash == secondHashes[path], $"file '{path}' differs between two runs with seed 5");
        }
    }

    [Fact]
    public void OtherSeed_ChangesMediaAndModels()
    {
        var first = DemoWorldGenerator.Generate(Path.Combine(fixture.Root, "seed-6"), Tiny(6));
        var second = DemoWorldGenerator.Generate(Path.Combine(fixture.Root, "seed-7"), Tiny(7));

        var firstHashes = HashFiles(first.Folder);
        var secondHashes = HashFiles(second.Folder);

        foreach (var path in new[] { "corpus/eval/c00-0.png", "corpus/eval/c00-0.wav", "models/unified-image.onnx", "models/audio-text-text.onnx" })
        {
            Assert.True(firstHashes[path] != secondHashes[path], $"file '{path}' is the same for seeds 6 and 7");
        }
    }

    [Fact]
    public void Generate_RejectsFolderThatIsNotEmpty()
    {
        var folder = Path.Combine(fixture.Root, "occupied");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "x");

        var exception = Assert.Throws<IOException>(() => DemoWorldGenerator.Generate(folder, Tiny(1)));

        Assert.Contains("not empty", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_RejectOutOfRangeValues()
    {
        var options = new DemoWorldOptions { Concepts = 1, EvalPairsPerConcept = 0, CalibrationItems = 8 };

        var problems = options.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, problem => problem.Contains("Concepts 1", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => DemoWorldGenerator.Generate(Path.Combine(fixture.Root, "invalid"), options));
    }

    [Fact]
    public void Layout_MatchesOptionsAndLabels()
    {
        var summary = fixture.Summary;
        var labels = File.ReadLines(summary.Labels).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        const int concepts = DemoWorldOptions.DefaultConcepts;
        const int perModality = concepts * (DemoWorldOptions.DefaultItemsPerConcept + DemoWorldOptions.DefaultEvalPairsPerConcept);

        Assert.Equal(concepts, summary.Concepts.Count);
        Assert.Equal((3 * perModality) + concepts, labels.Count);
        Assert.Equal(labels.Count, summary.Files);
        Assert.Equal(perModality, labels.Count(label => label.GetProperty("modality").GetString() == "image"));
        Assert.Equal(perModality, labels.Count(label => label.GetProperty("modality").GetString() == "audio"));
        Assert.All(labels, label => Assert.True(File.Exists(Path.Combine(summary.Folder, label.GetProperty("path").GetString()!))));
        Assert.Equal(summary.Concepts.Count, summary.Concepts.Select(c => string.Join(' ', c.Words)).Distinct().Count());
    }

    [Fact]
    public async Task FolderCorpus_PairsEvalEntries()
    {
        var corpus = CorpusFactory.Open(fixture.Summary.Corpus, new CorpusOptions());
        var entries = new List<CorpusEntry>();
        await foreach (var shard in corpus.PlanShardsAsync(1000, CancellationToken.None))
        {
            entries.AddRange(shard.Entries);
        }

        var eval = entries.Where(entry => entry.Id.StartsWith("eval/", StringComparison.Ordinal)).ToList();
        Assert.Equal(DemoWorldOptions.DefaultConcepts * DemoWorldOptions.DefaultEvalPairsPerConcept, eval.Count);
        Assert.All(eval, entry => Assert.Equal(3, entry.Media.Count));
        Assert.All(entries.Where(entry => entry.Id.StartsWith("train/", StringComparison.Ordinal)), entry => Assert.Single(entry.Media));
    }

    [Fact]
    public void MediaFiles_DecodeWithProjectReaders()
    {
        var folder = Path.Combine(fixture.Summary.Corpus, "eval");
        foreach (var path in Directory.EnumerateFiles(folder, "*.png"))
        {
            using var image = ImageDecoder.Decode(File.ReadAllBytes(path), maxPixels: 100_000_000, dctScalingMinimumSide: 0);
            Assert.Equal(224, image.Width);
            Assert.Equal(224, image.Height);
            Assert.Null(image.Warning);
        }

        foreach (var path in Directory.EnumerateFiles(folder, "*.wav"))
        {
            var audio = WavDecoder.Decode(File.ReadAllBytes(path));
            Assert.Equal(16_000, audio.SampleRate);
            Assert.Equal(3.0, audio.DurationSeconds, 6);
            Assert.True(audio.Samples.ToArray().Max(Math.Abs) > 0.01f, $"recording '{path}' is near silent");
        }
    }

    [Fact]
    public void ConceptWords_AreOneTokenInBothVocabularies()
    {
        var folder = fixture.Summary.Folder;
        var clip = ClipTextTokenizer.FromVocabAndMerges(
            Path.Combine(folder, "tokenizers/clip/vocab.json"), Path.Combine(folder, "tokenizers/clip/merges.txt"));
        var roberta = RobertaTextTokenizer.FromVocabAndMerges(
            Path.Combine(folder, "tokenizers/roberta/vocab.json"), Path.Combine(folder, "tokenizers/roberta/merges.txt"));

        foreach (var word in DemoLexicon.AllWords())
        {
            var clipIds = new List<int>();
            clip.EncodeContent(word, clipIds);
            Assert.True(clipIds.Count == 1, $"CLIP vocabulary splits '{word}' into {clipIds.Count} tokens");

            var robertaIds = new List<int>();
            roberta.EncodeContent("a " + word, robertaIds);
            Assert.True(robertaIds.Count == 2, $"RoBERTa vocabulary splits ' {word}' into {robertaIds.Count - 1} tokens");
        }

        var caption = File.ReadAllText(Path.Combine(folder, "corpus/classes/c00.txt"));
        var ids = new List<int>();
        clip.EncodeContent(caption, ids);
        Assert.Equal(caption.Trim().TrimEnd('.').Split(' ').Length + 1, ids.Count);
    }

    private static SortedDictionary<string, string> HashFiles(string root) => new(
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(
                path => Path.GetRelativePath(root, path).Replace('\\', '/'),
                path => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))),
        StringComparer.Ordinal);
}
