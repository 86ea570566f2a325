using System.CommandLine;
using System.Globalization;

using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Evaluation;
using FreeBind.Evaluation.Search;
using FreeBind.Reporting;
using FreeBind.Storage;

namespace FreeBind.Client.Commands;

/// <summary>
/// <c>freebind sweep</c>: tunes a bond file's factors for one or more objectives by a coarse-to-fine
/// grid search, evaluating batches of points on sweep worker grains, and writes the best factors as
/// named profiles plus a report.
/// </summary>
internal static class SweepCommand
{
    private static readonly Option<FileInfo> Bonds = new("--bonds") { Description = "Bond file to tune.", Required = true };

    private static readonly Option<string> Embeddings = new("--embeddings")
    {
        Description = "Output root of a freebind embed job holding the base and every expert space.",
        Required = true,
    };

    private static readonly Option<FileInfo?> Labels = new("--labels") { Description = "Labels manifest (.jsonl or .csv)." };

    private static readonly Option<string[]> Tasks = new("--task")
    {
        Description = $"Task(s) evaluated at each point: {EvaluationTask.AcceptedForms}.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string[]> Objectives = new("--objective")
    {
        Description = "What to maximise: <task>:<metric> (e.g. retrieval:text-audio:R@1) or balanced; one profile per objective.",
        AllowMultipleArgumentsPerToken = true,
        DefaultValueFactory = _ => [SweepObjective.Balanced],
    };

    private static readonly Option<string[]> ProfileNames = new("--profile-name")
    {
        Description = "Profile name per objective, in order; default sweep-<objective>.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> Profile = new("--profile")
    {
        Description = "Profile whose factors are the starting point; default the bonds' own factors.",
    };

    private static readonly Option<FileInfo?> WriteTo = new("--write-to")
    {
        Description = "File for the bond file with the new profiles; default the --bonds file itself.",
    };

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Root for reports/<run>/ (HTML, Markdown, PNG, SVG); default the --embeddings root.",
    };

    private static readonly Option<FileInfo?> Loss = new("--loss")
    {
        Description = "Optional training loss curve (CSV or Parquet with columns step and loss) to plot in the report.",
    };

    private static readonly Option<int> Workers = new("--workers")
    {
        Description = "Sweep worker grains evaluating batches of points in parallel.",
        DefaultValueFactory = _ => 2,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("sweep", "Search bond factors (coarse grid 0.1, then 0.02 around the best) against evaluation objectives.")
        {
            Bonds, Embeddings, Labels, Tasks, Objectives, ProfileNames, Profile, WriteTo, Output, Loss, Workers,
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var bonds = parseResult.GetValue(Bonds)!;
            if (!bonds.Exists)
            {
                throw new FileNotFoundException($"bond file '{bonds.FullName}' not found: pass an existing JSON file to --bonds.");
            }

            var tasks = Locations.Split(parseResult.GetValue(Tasks)).Select(EvaluationTask.Parse).ToList();
            var objectives = Locations.Split(parseResult.GetValue(Objectives)).Select(o => SweepObjective.Parse(o, tasks)).ToList();
            var names = Locations.Split(parseResult.GetValue(ProfileNames));
            var labels = parseResult.GetValue(Labels);
            var embeddings = Locations.Resolve(parseResult.GetValue(Embeddings)!);
            var request = new SweepPointsRequest
            {
                BondsJson = await File.ReadAllTextAsync(bonds.FullName, cancellationToken),
                BondsBaseDirectory = bonds.DirectoryName!,
                Profile = parseResult.GetValue(Profile),
                Embeddings = embeddings,
                Tasks = tasks.Select(t => t.Name).ToList(),
                LabelsText = labels is null ? "" : await EvalCommand.ReadLabelsAsync(labels, cancellationToken),
                LabelsFormat = labels is null ? "jsonl" : EvaluationLabels.FormatOf(labels.Name),
                Points = [],
            };
            var file = BondFile.Parse(request.BondsJson, request.BondsBaseDirectory, ProjectorSetFiles.Load, bonds.FullName);
            var (axes, defaults) = FusedEvaluator.AxesOf(file, request.Profile, tasks);
            if (axes.Count == 0)
            {
                throw new InvalidOperationException(
                    $"bond file '{bonds.FullName}' has no overridable factor for the modalities of {string.Join(", ", request.Tasks)}.");
            }

            await using var connection = await ClusterConnection.OpenAsync(
                CommonOptions.UsesCluster(parseResult),
                parseResult.GetValue(CommonOptions.Gateway),
                parseResult.GetValue(CommonOptions.Verbosity),
                cancellationToken);
            var run = $"sweep-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            var evaluator = new SweepPointEvaluator(connection.Client, request, run, Math.Max(1, parseResult.GetValue(Workers)));
            Console.Error.WriteLine($"sweep {run}: {axes.Count} factors ({string.Join(", ", axes)}), {objectives.Count} objective(s)");

            var profiles = new Dictionary<string, IReadOnlyList<(SweepAxis, double)>>(StringComparer.Ordinal);
            var searches = new List<(SweepObjective Objective, string Profile, FactorSearchResult Result)>();
            for (var o = 0; o < objectives.Count; o++)
            {
                var objective = objectives[o];
                var result = await FactorSearch.RunAsync(
                    axes.Count,
                    async (points, token) => (await evaluator.EvaluateAsync(points, token)).Select(objective.Score).ToList(),
                    start: defaults,
                    cancellationToken: cancellationToken);
                var name = o < names.Count ? names[o] : objective.DefaultProfileName();
                profiles[name] = axes.Select((axis, i) => (axis, result.Best[i])).ToList();
                searches.Add((objective, name, result));
                Console.WriteLine(
                    $"{objective.Name}: best {result.BestScore.ToString("0.0000", CultureInfo.InvariantCulture)} at " +
                    string.Join(", ", axes.Select((axis, i) => $"{axis}={result.Best[i].ToString("0.00", CultureInfo.InvariantCulture)}")) +
                    $" → profile '{name}'");
            }

            var target = parseResult.GetValue(WriteTo)?.FullName ?? bonds.FullName;
            var rewritten = BondProfileWriter.AddProfiles(
                request.BondsJson, profiles, Path.GetDirectoryName(bonds.FullName), Path.GetDirectoryName(target));
            await File.WriteAllTextAsync(target, rewritten, cancellationToken);
            Console.WriteLine($"Profiles {string.Join(", ", profiles.Keys)} written to {target}");

            var report = await BuildReportAsync(connection.Client, file, request, axes, searches, evaluator, parseResult.GetValue(Loss), run, cancellationToken);
            var output = BlobStoreFactory.Open(Locations.Resolve(parseResult.GetValue(Output) ?? embeddings));
            var written = await report.WriteAsync(output, $"reports/{run}", cancellationToken);
            Console.WriteLine($"Report written to {output.DisplayRoot}/reports/{run}/{RunReport.HtmlFile} ({written.Count} files)");
            return 0;
        });
        return command;
    }

    private static async Task<RunReport> BuildReportAsync(
        IClusterClient client,
        BondFile file,
        SweepPointsRequest request,
        IReadOnlyList<SweepAxis> axes,
        List<(SweepObjective Objective, string Profile, FactorSearchResult Result)> searches,
        SweepPointEvaluator evaluator,
        FileInfo? loss,
        string run,
        CancellationToken cancellationToken)
    {
        // Base and expert spaces are evaluated directly, each on the tasks whose modalities it embeds.
        var columns = new List<(string, IReadOnlyList<EvaluationResult>)>
        {
            ($"base ({file.Base})", await EvaluateSpaceAsync(client, request, file.Base, file, run, cancellationToken)),
        };
        foreach (var (search, profile, result) in searches)
        {
            columns.Add(($"bonded ({profile})", (await evaluator.EvaluateAsync([result.Best], cancellationToken))[0]));
        }

        foreach (var expert in file.Spaces.Keys.Where(s => s != file.Base).Order(StringComparer.Ordinal))
        {
            columns.Add(($"expert ({expert})", await EvaluateSpaceAsync(client, request, expert, file, run, cancellationToken)));
        }

        var first = searches[0].Result;
        var points = first.Points
            .Select(p => (p.Factors, evaluator.Cached(p.Factors)))
            .Where(p => p.Item2 is not null)
            .Select(p => (p.Factors, p.Item2!))
            .ToList();
        var charts = EvaluationReportBuilder.FactorCurves(axes, first.Best, points).ToList();
        if (loss is not null)
        {
            charts.Add(EvaluationReportBuilder.LossCurve(await LossCurveReader.ReadAsync(loss.FullName, cancellationToken)));
        }

        var table = EvaluationReportBuilder.CompareTable("Base vs bonded vs expert (%)", columns);
        return new RunReport($"FreeBind sweep {run}: {file.Name}", [table], charts);
    }

    private static async Task<IReadOnlyList<EvaluationResult>> EvaluateSpaceAsync(
        IClusterClient client, SweepPointsRequest request, string space, BondFile file, string run, CancellationToken cancellationToken)
    {
        var results = new List<EvaluationResult>();
        foreach (var task in request.Tasks.Select(EvaluationTask.Parse))
        {
            var modalities = file.Spaces[space].Modalities;
            if (!modalities.Contains(task.First) || !modalities.Contains(task.Second))
            {
                continue;
            }

            var summary = await client.GetGrain<IEvaluationGrain>($"{run}/{space}/{task.Name}").EvaluateAsync(
                new EvaluationRequest
                {
                    Embeddings = request.Embeddings,
                    Space = space,
                    Task = task.Name,
                    LabelsText = request.LabelsText,
                    LabelsFormat = request.LabelsFormat,
                },
                cancellationToken);
            results.Add(new EvaluationResult(summary.Task, summary.Space, summary.Metrics, summary.Counts));
        }

        return results;
    }
}
