using System.CommandLine;
using System.Globalization;

using FreeBind.Client.Demo;
using FreeBind.Demo;

using Spectre.Console;

namespace FreeBind.Client.Commands;

/// <summary>
/// <c>freebind demo</c>: generates the demo world and runs embed, pseudo datasets, training, sweep,
/// fuse and evaluation on it, then prints the comparison table and where the report is.
/// </summary>
internal static class DemoCommand
{
    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Folder for the world, embeddings, projectors and report; its world/, train/, eval/ and report/ are replaced.",
        DefaultValueFactory = _ => Path.Combine("out", "demo"),
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of the world and of training.",
        DefaultValueFactory = _ => DemoWorldOptions.DefaultSeed,
    };

    private static readonly Option<int> Concepts = new("--concepts")
    {
        Description = "Number of concepts.",
        DefaultValueFactory = _ => DemoWorldOptions.DefaultConcepts,
    };

    private static readonly Option<int> Items = new("--items")
    {
        Description = "Unpaired training items per concept and modality.",
        DefaultValueFactory = _ => DemoPipelineOptions.DefaultItemsPerConcept,
    };

    private static readonly Option<int> Workers = new("--workers")
    {
        Description = "Worker grains per projector during training, and sweep workers.",
        DefaultValueFactory = _ => 2,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command(
            "demo",
            "Run FreeBind end to end on a generated demo world: embed, pseudo datasets, train both bonds, sweep factors, " +
            "fuse, evaluate, and write an HTML and Markdown report.")
        {
            Output, Seed, Concepts, Items, Workers, CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var options = new DemoPipelineOptions
            {
                Output = parseResult.GetValue(Output)!,
                Seed = parseResult.GetValue(Seed),
                Concepts = parseResult.GetValue(Concepts),
                ItemsPerConcept = parseResult.GetValue(Items),
                Workers = parseResult.GetValue(Workers),
            };
            var problems = options.WorldOptions().Validate().ToList();
            if (options.ItemsPerConcept < 1)
            {
                // The world allows 0 training items, but the demo trains its bonds on them.
                problems.Add($"--items {options.ItemsPerConcept} is invalid: the demo trains on these items, so use 1 or more (default {DemoPipelineOptions.DefaultItemsPerConcept})");
            }

            if (options.Workers < 1)
            {
                problems.Add($"--workers {options.Workers} is invalid: use 1 or more");
            }

            if (problems.Count > 0)
            {
                foreach (var problem in problems)
                {
                    Console.Error.WriteLine($"error: {problem}");
                }

                return 1;
            }

            await using var connection = await ClusterConnection.OpenAsync(
                CommonOptions.UsesCluster(parseResult),
                parseResult.GetValue(CommonOptions.Gateway),
                parseResult.GetValue(CommonOptions.Verbosity),
                cancellationToken);
            var result = await DemoPipeline.RunAsync(connection.Client, options, Console.Error, cancellationToken);
            Print(result);
            return 0;
        });
        return command;
    }

    /// <summary>Prints the comparison table, the audio-factor curve and the report's path.</summary>
    public static void Print(DemoPipelineResult result)
    {
        var table = new Table().AddColumn("task").AddColumn("metric");
        foreach (var (label, _) in result.Columns)
        {
            table.AddColumn(Markup.Escape(label));
        }

        foreach (var task in new[] { DemoPipeline.AudioText, DemoPipeline.ImageText, DemoPipeline.AudioImage })
        {
            foreach (var metric in new[] { "R@1", "mAP" })
            {
                var cells = result.Columns.Select(c =>
                {
                    var found = c.Results.FirstOrDefault(r => r.Task == task);
                    return found is null ? "-" : DemoPipeline.Percent(found.Metrics[metric]);
                });
                table.AddRow([Markup.Escape(task), metric, .. cells]);
            }
        }

        TableOutput.Write(table);

        foreach (var (profile, factors) in result.Profiles)
        {
            Console.WriteLine($"profile {profile}: " + string.Join(", ", factors.Select(f =>
                $"{f.Key}={f.Value.ToString("0.00", CultureInfo.InvariantCulture)}")));
        }

        Console.WriteLine($"R@1 (%) vs {DemoBondFile.Combination}/audio factor, other factors at {DemoPipeline.AtExpertise}:");
        Console.WriteLine("  factor  audio-text  audio-image  image-text");
        foreach (var (factor, recall) in result.AudioFactorCurve)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {factor,6:0.0}  {DemoPipeline.Percent(recall[DemoPipeline.AudioText]),10}  " +
                $"{DemoPipeline.Percent(recall[DemoPipeline.AudioImage]),11}  {DemoPipeline.Percent(recall[DemoPipeline.ImageText]),10}"));
        }

        Console.WriteLine($"fused Parquet ({DemoPipeline.AtExpertise}) audio-text R@1: {DemoPipeline.Percent(result.FusedAudioTextRecall)} %");
        Console.WriteLine($"Report: {Path.Combine(result.ReportFolder, "report.html")} and report.md (PNG and SVG charts beside them)");
        Console.WriteLine($"Total time {result.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s");
    }
}
