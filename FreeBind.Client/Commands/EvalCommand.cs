using System.CommandLine;
using System.Globalization;

using FreeBind.Evaluation;
using FreeBind.Media;
using FreeBind.Serialization;
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
            var space = await ResolveSpaceAsync(
                BlobStoreFactory.Open(embeddings), parseResult.GetValue(Space), tasks, cancellationToken);
            var output = BlobStoreFactory.Open(Locations.Resolve(parseResult.GetValue(Output) ?? embeddings));

            await using var connection = await ClusterConnection.OpenAsync(
                CommonOptions.UsesCluster(parseResult),
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

        TableOutput.Write(table);
    }

    /// <summary>
    /// Checks that the embeddings root exists and has the space and modalities the tasks read, and
    /// returns the space: <paramref name="requested"/>, or the only one there when it is null.
    /// </summary>
    /// <exception cref="ArgumentException">The root, the space or a modality is not found.</exception>
    public static async Task<string> ResolveSpaceAsync(
        IBlobStore store, string? requested, IReadOnlyList<EvaluationTask> tasks, CancellationToken cancellationToken)
    {
        var root = store.DisplayRoot;
        if (!root.Contains("://", StringComparison.Ordinal) && !Directory.Exists(root))
        {
            throw new ArgumentException(
                $"embeddings folder '{root}' not found: pass the output root of a freebind embed or fuse job to --embeddings.");
        }

        // Layout: embeddings/<space>/<modality>/shard-NNNNNN.parquet.
        var modalitiesBySpace = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        await foreach (var path in store.ListAsync("embeddings/", cancellationToken))
        {
            var parts = path.Split('/');
            if (parts.Length > 3)
            {
                if (!modalitiesBySpace.TryGetValue(parts[1], out var modalities))
                {
                    modalitiesBySpace[parts[1]] = modalities = new SortedSet<string>(StringComparer.Ordinal);
                }

                modalities.Add(parts[2]);
            }
        }

        if (modalitiesBySpace.Count == 0)
        {
            throw new ArgumentException(
                $"no embeddings found under '{root}/embeddings/': pass the output root of a freebind embed or fuse job to --embeddings.");
        }

        var spaceList = string.Join(", ", modalitiesBySpace.Keys);
        if (requested is null)
        {
            return modalitiesBySpace.Count == 1
                ? modalitiesBySpace.Keys.First()
                : throw new ArgumentException(
                    $"'{root}/embeddings/' contains {modalitiesBySpace.Count} spaces ({spaceList}): pass one with --space.");
        }

        if (!modalitiesBySpace.TryGetValue(requested, out var found))
        {
            var closest = NameMatcher.Closest(requested, modalitiesBySpace.Keys);
            var hint = closest is null ? $"pass one of {spaceList} with --space" : $"did you mean '{closest}'? Spaces there: {spaceList}";
            throw new ArgumentException($"space '{requested}' not found under '{root}/embeddings/': {hint}.");
        }

        var needed = tasks.SelectMany(task => new[] { task.First.ToName(), task.Second.ToName() });
        var missing = needed.Where(modality => !found.Contains(modality)).Distinct().ToList();
        if (missing.Count > 0)
        {
            throw new ArgumentException(
                $"space '{requested}' has no {string.Join(" or ", missing)} embeddings under '{root}/embeddings/' " +
                $"(it has {string.Join(", ", found)}): embed that modality first, or pick another task.");
        }

        return requested;
    }
}
