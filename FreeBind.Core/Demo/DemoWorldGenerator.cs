using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

using FreeBind.Media;

namespace FreeBind.Demo;

/// <summary>
/// Generates a synthetic demo world: a folder corpus of PNG images, WAV recordings and captions of
/// latent concepts, ONNX encoders for three spaces, their tokenizer files, a spaces file and labels.
/// </summary>
/// <remarks>
/// Layout of the output folder:
/// <code>
/// spaces.json                       spaces unified (64), image-text (48), audio-text (32)
/// models/&lt;space&gt;-&lt;modality&gt;.onnx
/// tokenizers/clip/, tokenizers/roberta/   vocab.json + merges.txt
/// corpus/train/{image,text,audio}/&lt;concept&gt;-&lt;n&gt;.{png,txt,wav}   unpaired items
/// corpus/eval/&lt;concept&gt;-&lt;n&gt;.{png,txt,wav}                     paired entries
/// corpus/classes/&lt;concept&gt;.txt                                    class prompts
/// labels.jsonl, concepts.jsonl, world.json
/// </code>
/// The same options give the same bytes: every random draw comes from a SplitMix64 stream named
/// after the seed and the file or weight it makes, so parallel rendering does not change the
/// output.
/// </remarks>
public static class DemoWorldGenerator
{
    private static readonly JsonSerializerOptions JsonLines = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>Writes a demo world into <paramref name="folder"/>, which must be missing or empty.</summary>
    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    /// <exception cref="IOException">The folder exists and is not empty.</exception>
    public static DemoWorldSummary Generate(string folder, DemoWorldOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        var root = Path.GetFullPath(folder);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new IOException($"demo world folder '{root}' is not empty: pass a new or empty folder");
        }

        var stopwatch = Stopwatch.StartNew();
        Directory.CreateDirectory(root);
        var world = new DemoWorldModel(options);

        var clip = DemoTokenizerFiles.BuildClip();
        var roberta = DemoTokenizerFiles.BuildRoberta();
        clip.Write(Path.Combine(root, DemoSpaces.ClipFolder));
        roberta.Write(Path.Combine(root, DemoSpaces.RobertaFolder));
        File.WriteAllText(Path.Combine(root, "spaces.json"), DemoSpaces.ToJson(), new UTF8Encoding(false));

        WriteModels(root, world, options.CalibrationItems, clip, roberta, cancellationToken);
        var labels = WriteCorpus(root, world, options, cancellationToken);
        WriteManifests(root, world, options, labels);

        var bytes = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Sum(path => new FileInfo(path).Length);
        return new DemoWorldSummary(
            root,
            Path.Combine(root, "spaces.json"),
            Path.Combine(root, "corpus"),
            Path.Combine(root, "labels.jsonl"),
            world.Concepts,
            labels.Count,
            bytes,
            stopwatch.Elapsed);
    }

    private static void WriteModels(
        string root, DemoWorldModel world, int calibrationItems, DemoTokenizerFiles clip, DemoTokenizerFiles roberta, CancellationToken cancellationToken)
    {
        var factory = new DemoEncoderFactory(world);
        var latents = new double[calibrationItems][];
        var images = new byte[calibrationItems][];
        var recordings = new byte[calibrationItems][];
        Parallel.For(0, calibrationItems, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            latents[i] = DemoRandom.For(world.Seed, "calibration-latent", i).GaussianMatrix(1, DemoWorldModel.LatentDimension, 1);
            images[i] = DemoImageRenderer.Render(world, latents[i], DemoRandom.For(world.Seed, "calibration-image", i));
            recordings[i] = DemoAudioRenderer.Render(world, latents[i], DemoRandom.For(world.Seed, "calibration-audio", i));
        });

        Directory.CreateDirectory(Path.Combine(root, "models"));
        foreach (var design in DemoSpaces.Designs)
        {
            byte[] model;
            if (design.Modality == Modality.Text)
            {
                model = factory.BuildTextEncoder(design, design.Spec.Preprocess is Text.TextRecipe { Tokenizer: "roberta" } ? roberta : clip);
            }
            else
            {
                var preprocessor = design.Spec.Preprocess!.CreatePreprocessor(root);
                var sources = design.Modality == Modality.Image ? images : recordings;
                var features = new double[calibrationItems][];
                Parallel.For(0, calibrationItems, new ParallelOptions { CancellationToken = cancellationToken }, i =>
                    features[i] = DemoFeatures.Compute(design, preprocessor.Preprocess(sources[i])));
                model = factory.BuildFeatureEncoder(design, features, latents);
            }

            File.WriteAllBytes(Path.Combine(root, design.ModelPath), model);
        }
    }

    private static List<DemoLabel> WriteCorpus(string root, DemoWorldModel world, DemoWorldOptions options, CancellationToken cancellationToken)
    {
        var files = new List<(string Path, Modality Modality, DemoConcept Concept, string Split)>();
        foreach (var concept in world.Concepts)
        {
            for (var n = 0; n < options.ItemsPerConcept; n++)
            {
                files.Add(($"corpus/train/image/{concept.Id}-{n}.png", Modality.Image, concept, "train"));
                files.Add(($"corpus/train/text/{concept.Id}-{n}.txt", Modality.Text, concept, "train"));
                files.Add(($"corpus/train/audio/{concept.Id}-{n}.wav", Modality.Audio, concept, "train"));
            }

            for (var n = 0; n < options.EvalPairsPerConcept; n++)
            {
                files.Add(($"corpus/eval/{concept.Id}-{n}.png", Modality.Image, concept, "eval"));
                files.Add(($"corpus/eval/{concept.Id}-{n}.txt", Modality.Text, concept, "eval"));
                files.Add(($"corpus/eval/{concept.Id}-{n}.wav", Modality.Audio, concept, "eval"));
            }

            files.Add(($"corpus/classes/{concept.Id}.txt", Modality.Text, concept, "class"));
        }

        foreach (var folder in files.Select(file => Path.GetDirectoryName(file.Path)!).Distinct())
        {
            Directory.CreateDirectory(Path.Combine(root, folder));
        }

        Parallel.ForEach(files, new ParallelOptions { CancellationToken = cancellationToken }, file =>
        {
            var random = DemoRandom.For(world.Seed, file.Path);
            byte[] content = file.Modality switch
            {
                Modality.Image => DemoImageRenderer.Render(world, file.Concept.Latent, random),
                Modality.Audio => DemoAudioRenderer.Render(world, file.Concept.Latent, random),
                _ when file.Split == "class" => Encoding.UTF8.GetBytes(DemoCaptions.Prompt(file.Concept) + "\n"),
                _ => Encoding.UTF8.GetBytes(DemoCaptions.Caption(file.Concept, random) + "\n"),
            };
            File.WriteAllBytes(Path.Combine(root, file.Path), content);
        });

        return files
            .Select(file => new DemoLabel(
                Path.ChangeExtension(file.Path["corpus/".Length..], null),
                file.Modality.ToName(),
                file.Concept.Id,
                file.Split,
                file.Path))
            .OrderBy(label => label.Id, StringComparer.Ordinal)
            .ThenBy(label => label.Modality, StringComparer.Ordinal)
            .ToList();
    }

    private static void WriteManifests(string root, DemoWorldModel world, DemoWorldOptions options, List<DemoLabel> labels)
    {
        var text = new StringBuilder();
        foreach (var label in labels)
        {
            text.Append(JsonSerializer.Serialize(label, JsonLines)).Append('\n');
        }

        File.WriteAllText(Path.Combine(root, "labels.jsonl"), text.ToString(), new UTF8Encoding(false));

        text.Clear();
        foreach (var concept in world.Concepts)
        {
            var line = new { concept = concept.Id, words = concept.Words, prompt = DemoCaptions.Prompt(concept) };
            text.Append(JsonSerializer.Serialize(line, JsonLines)).Append('\n');
        }

        File.WriteAllText(Path.Combine(root, "concepts.jsonl"), text.ToString(), new UTF8Encoding(false));

        var summary = new
        {
            generator = "FreeBind.Demo.DemoWorldGenerator",
            seed = options.Seed,
            concepts = options.Concepts,
            itemsPerConcept = options.ItemsPerConcept,
            evalPairsPerConcept = options.EvalPairsPerConcept,
            calibrationItems = options.CalibrationItems,
            latentDimension = DemoWorldModel.LatentDimension,
            spaces = DemoSpaces.Designs
                .GroupBy(design => design.Space)
                .Select(group => new
                {
                    name = group.Key,
                    dimension = DemoSpaces.DimensionOf(group.Key),
                    modalities = group.Select(design => design.Modality.ToName()).ToArray(),
                }),
        };
        File.WriteAllText(
            Path.Combine(root, "world.json"),
            JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }) + "\n",
            new UTF8Encoding(false));
    }
}
