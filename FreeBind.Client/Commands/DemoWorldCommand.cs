using System.CommandLine;
using System.Globalization;

using FreeBind.Demo;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind demo-world</c>: generates a synthetic demo world (corpus, encoders, spaces file, labels).</summary>
internal static class DemoWorldCommand
{
    private static readonly Option<DirectoryInfo> Output = new("--output", "-o")
    {
        Description = "Folder to write the world into; it must be missing or empty.",
        Required = true,
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of every random draw; the same options give the same bytes.",
        DefaultValueFactory = _ => DemoWorldOptions.DefaultSeed,
    };

    private static readonly Option<int> Concepts = new("--concepts")
    {
        Description = $"Number of concepts, 2 to {DemoWorldOptions.MaxConcepts}.",
        DefaultValueFactory = _ => DemoWorldOptions.DefaultConcepts,
    };

    private static readonly Option<int> Items = new("--items")
    {
        Description = "Unpaired items per concept and modality (image, caption, recording).",
        DefaultValueFactory = _ => DemoWorldOptions.DefaultItemsPerConcept,
    };

    private static readonly Option<int> EvalPairs = new("--eval-pairs")
    {
        Description = "Paired evaluation entries (image, caption and recording of one stem) per concept.",
        DefaultValueFactory = _ => DemoWorldOptions.DefaultEvalPairsPerConcept,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command(
            "demo-world",
            "Generate a synthetic world of concepts as PNG images, WAV recordings and captions, with ONNX encoders for " +
            "three spaces (unified, image-text, audio-text) and a spaces file, so 'freebind embed' runs offline on it.")
        {
            Output, Seed, Concepts, Items, EvalPairs,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var options = new DemoWorldOptions
            {
                Seed = parseResult.GetValue(Seed),
                Concepts = parseResult.GetValue(Concepts),
                ItemsPerConcept = parseResult.GetValue(Items),
                EvalPairsPerConcept = parseResult.GetValue(EvalPairs),
            };
            var problems = options.Validate();
            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine(problem);
                }

                return Task.FromResult(2);
            }

            var summary = DemoWorldGenerator.Generate(parseResult.GetValue(Output)!.FullName, options, cancellationToken);
            var megabytes = (summary.Bytes / 1_000_000.0).ToString("F1", CultureInfo.InvariantCulture);
            Console.WriteLine(
                $"wrote {summary.Folder}: {summary.Concepts.Count} concepts, {summary.Files} media files, {megabytes} MB " +
                $"in {summary.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
            Console.WriteLine($"embed it with: freebind embed --spaces {summary.SpacesFile} --input {summary.Corpus} --output <folder>");
            return Task.FromResult(0);
        });
        return command;
    }
}
