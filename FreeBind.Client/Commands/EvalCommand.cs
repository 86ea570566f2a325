using System.CommandLine;
using System.Globalization;

using FreeBind.Evaluation;
using FreeBind.Storage;

using Spectre.Console;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind eval</c>: zero-shot retrieval and classification metrics of one space's embeddings.</summary>
internal static class EvalCommand
{
    private static readonly Option<string> Embeddings = new("--embeddings")
    {
        Description = "Output root of a freebind embed or fuse job (folder or blob URI).",
        Required = true,
    };

    private static readonly Option<FileInfo?> Labels = new("--labels")
    {
        Description = "Labels manifest (.jsonl or .csv; see docs/evaluation.md); default: items match by id.",
    };

    private static readonly Option<string[]> Tasks = new("--task")
    {
        Description = $"Task(s) to run: {EvaluationTask.AcceptedForms}. Repeat or comma-separate for several.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> Space = new("--space")
    {
        Description = "Space folder under embeddings/ (e.g. imagebind or imagebind++.default); default the only one there.",
    };

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Root where eval/<run>.json and .parquet are written; default the --embeddings root.",
    };

    private static readonly Option<int> Partitions = new("--partitions")
    {
        Description = "Gallery partitions, each scanned by its own worker grain (at most the number of shard files).",
        DefaultValueFactory = _ => 4,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("eval", "Evaluate embeddings: cross-modal retrieval (R@1/5/10, mAP) and zero-shot classification.")
        {
            Embeddings, Labels, Tasks, Space, Output, Partitions,
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var embeddings = Locations.Resolve(parseResult.GetValue(Embeddings)!);
            var tasks = Locations.Split(parseResult.GetValue(Tasks)).Select(EvaluationTask.Parse).ToList();
            var labels = parseResult.GetValue(Labels);
            var labelsText = labels is null ? "" : await ReadLabelsAsync(labels, cancellationToken);
            var space = parseResult.GetValue(Space) ?? await SingleSpaceAsync(BlobStoreFactory.Open(embeddings), cancellationToken);
            var output = BlobStoreFactory.Open(Locations.Resolve(parseResult.GetValue(Output) ?? embeddings));

            await using var connection = await ClusterConnection.OpenAsync(
                parseResult.GetValue(CommonOptions.Cluster),
                parseResult.GetValue(CommonOptions.Gateway),
                parseResult.GetValue(CommonOptions.Verbosity),
                cancellationToken);
            var run = $"eval-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            var results = new List<EvaluationResult>();
            foreach (var task in tasks)
            {
                var summary = await connection.Client.GetGrain<IEvaluationGrain>($"{run}/{task.Name}").EvaluateAsync(
                    new EvaluationRequest
                    {
                        Embeddings = embeddings,
                        Space = space,
                        Task = task.Name,
                        LabelsText = labelsText,
                        LabelsFormat = labels is null ? "jsonl" : EvaluationLabels.FormatOf(labels.Name),
                        Partitions = parseResult.GetValue(Partitions),
                    },
                    cancellationToken);
                results.Add(new EvaluationResult(summary.Task, summary.Space, summary.Metrics, summary.Counts));
            }

            var written = await EvaluationResultWriter.WriteAsync(output, run, results, cancellationToken);
            PrintTable(results);
            Console.WriteLine($"Results written to {output.DisplayRoot}/{written[0]} and {written[1]}");
            return 0;
        });
        return command;
    }

    /// <summary>Reads a labels manifest file's text.</summary>
    public static async Task<string> ReadLabelsAsync(FileInfo labels, CancellationToken cancellationToken)
    {
        if (!labels.Exists)
        {
            throw new FileNotFoundException($"labels manifest '{labels.FullName}' not found: pass an existing .jsonl or .csv file to --labels.");
        }

        var text = await File.ReadAllTextAsync(labels.FullName, cancellationToken);

        // Parse here so a malformed manifest fails before the cluster starts.
        EvaluationLabels.Parse(text, EvaluationLabels.FormatOf(labels.Name), labels.FullName);
        return text;
    }

    /// <summary>Prints one row per task and metric.</summary>
    public static void PrintTable(IReadOnlyList<EvaluationResult> results)
    {
        var table = new Table().AddColumns("space", "task", "metric", "value (%)");
        foreach (var result in results)
        {
            foreach (var (name, value) in result.Metrics)
            {
                table.AddRow(
                    Markup.Escape(result.Space),
                    Markup.Escape(result.Task),
                    Markup.Escape(name),
                    (100 * value).ToString("0.00", CultureInfo.InvariantCulture));
            }
        }

        // Spectre.Console assumes 80 columns when the output is not a terminal, which wraps task names.
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        AnsiConsole.Write(table);
    }

    private static async Task<string> SingleSpaceAsync(IBlobStore store, CancellationToken cancellationToken)
    {
        var spaces = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var path in store.ListAsync("embeddings/", cancellationToken))
        {
            var parts = path.Split('/');
            if (parts.Length > 2)
            {
                spaces.Add(parts[1]);
            }
        }

        return spaces.Count == 1
            ? spaces.Min!
            : throw new ArgumentException(
                $"{store.DisplayRoot}/embeddings/ holds {spaces.Count} spaces ({string.Join(", ", spaces)}): pass one with --space.");
    }
}
