using System.Diagnostics;
using System.Globalization;

using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Client.Commands;
using FreeBind.Demo;
using FreeBind.Evaluation;
using FreeBind.Evaluation.Search;
using FreeBind.Jobs;
using FreeBind.Media;
using FreeBind.Spaces;
using FreeBind.Storage;
using FreeBind.Training;
using FreeBind.Training.Pseudo;

namespace FreeBind.Client.Demo;

/// <summary>
/// Runs the whole FreeBind flow on a generated demo world through one cluster connection: embed,
/// pseudo datasets, training of both bonds, factor sweep, fuse, evaluation and report.
/// </summary>
/// <remarks>
/// Layout under the output folder: <c>world/</c> (the generated world), <c>train/</c> (embeddings
/// of the unpaired training split, pseudo datasets, training output), <c>eval/</c> (embeddings of the
/// paired evaluation split and the fused Parquet), <c>bonds.json</c>, <c>labels.jsonl</c> and
/// <c>report/</c>.
/// </remarks>
internal static class DemoPipeline
{
    /// <summary>Audio-text retrieval, the task the at-expertise profile maximises.</summary>
    public const string AudioText = "retrieval:audio-text";

    /// <summary>Image-text retrieval.</summary>
    public const string ImageText = "retrieval:image-text";

    /// <summary>Audio-image retrieval: of the three spaces only the unified one embeds both modalities.</summary>
    public const string AudioImage = "retrieval:audio-image";

    /// <summary>Profile that maximises audio-text R@1.</summary>
    public const string AtExpertise = "at-expertise";

    /// <summary>Profile that maximises the mean R@1 of the three tasks.</summary>
    public const string Versatile = "versatile";

    private static readonly string[] Tasks = [AudioText, ImageText, AudioImage];

    private static readonly string[] Modes = PseudoDataMode.All.Select(m => m.Name).ToArray();

    /// <summary>Runs every step and writes the report; progress goes to standard error.</summary>
    /// <exception cref="InvalidOperationException">A job failed; the message names the job and its reason.</exception>
    public static async Task<DemoPipelineResult> RunAsync(
        IClusterClient client, DemoPipelineOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var root = Path.GetFullPath(options.Output);
        Directory.CreateDirectory(root);
        var run = $"demo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";

        var worldFolder = Path.Combine(root, "world");
        if (Directory.Exists(worldFolder))
        {
            Directory.Delete(worldFolder, recursive: true);
        }

        log.WriteLine($"[demo] generating the world in {worldFolder}");
        var world = DemoWorldGenerator.Generate(worldFolder, options.WorldOptions(), cancellationToken);

        var train = ResetFolder(Path.Combine(root, "train"));
        var eval = ResetFolder(Path.Combine(root, "eval"));
        var spaces = SpacesFile.Load(world.SpacesFile);
        log.WriteLine($"[demo] {clock.Elapsed.TotalSeconds:F0} s: embedding the training and evaluation splits in every space");
        await EmbedAsync(client, spaces, Path.Combine(world.Corpus, "train"), train, $"{run}-embed-train", cancellationToken);
        await EmbedAsync(client, spaces, Path.Combine(world.Corpus, "eval"), eval, $"{run}-embed-eval", cancellationToken);

        var labelsText = DemoEvaluationLabels.Convert(world.Labels);
        await File.WriteAllTextAsync(Path.Combine(root, "labels.jsonl"), labelsText, cancellationToken);

        var bondsPath = Path.Combine(root, "bonds.json");
        var bondsJson = DemoBondFile.ToJson(
            Path.GetRelativePath(root, Path.Combine(train, TrainingProjectors(DemoBondFile.Displacement))),
            Path.GetRelativePath(root, Path.Combine(train, TrainingProjectors(DemoBondFile.Combination))));
        await File.WriteAllTextAsync(bondsPath, bondsJson, cancellationToken);

        foreach (var bond in new[] { DemoBondFile.Displacement, DemoBondFile.Combination })
        {
            log.WriteLine($"[demo] {clock.Elapsed.TotalSeconds:F0} s: building pseudo datasets of {bond}");
            await BuildPseudoAsync(client, bondsJson, bond, train, options, $"{run}-pseudo-{bond}", cancellationToken);
            log.WriteLine($"[demo] {clock.Elapsed.TotalSeconds:F0} s: training the {Modes.Length} projectors of {bond}");
            await TrainAsync(client, bond, train, options, $"{run}-train-{bond}", cancellationToken);
        }

        var request = new SweepPointsRequest
        {
            BondsJson = bondsJson,
            BondsBaseDirectory = root,
            Embeddings = eval,
            Tasks = Tasks,
            LabelsText = labelsText,
            LabelsFormat = "jsonl",
            Points = [],
        };
        var file = BondFile.Parse(bondsJson, root, ProjectorSetFiles.Load, bondsPath);
        var tasks = Tasks.Select(EvaluationTask.Parse).ToList();
        var (axes, defaults) = FusedEvaluator.AxesOf(file, null, tasks);
        var evaluator = new SweepPointEvaluator(client, request, $"{run}-sweep", Math.Max(1, options.Workers));

        log.WriteLine($"[demo] {clock.Elapsed.TotalSeconds:F0} s: sweeping {axes.Count} factors ({string.Join(", ", axes)})");
        var objectives = new[]
        {
            (Name: AtExpertise, Objective: SweepObjective.Parse($"{AudioText}:R@1", tasks)),
            (Name: Versatile, Objective: SweepObjective.Parse(SweepObjective.Balanced, tasks)),
        };
        var profiles = new Dictionary<string, IReadOnlyList<(SweepAxis, double)>>(StringComparer.Ordinal);
        var best = new Dictionary<string, IReadOnlyList<double>>(StringComparer.Ordinal);
        foreach (var (name, objective) in objectives)
        {
            var search = await FactorSearch.RunAsync(
                axes.Count,
                async (points, token) => (await evaluator.EvaluateAsync(points, token)).Select(objective.Score).ToList(),
                start: defaults,
                cancellationToken: cancellationToken);
            best[name] = search.Best;
            profiles[name] = axes.Select((axis, i) => (axis, search.Best[i])).ToList();
        }

        bondsJson = BondProfileWriter.AddProfiles(bondsJson, profiles);
        await File.WriteAllTextAsync(bondsPath, bondsJson, cancellationToken);

        var curve = await AudioFactorCurveAsync(evaluator, axes, best[AtExpertise], cancellationToken);

        log.WriteLine($"[demo] {clock.Elapsed.TotalSeconds:F0} s: fusing the evaluation split with profile {AtExpertise}");
        var fuse = FuseCommand.CreateRequest(new FileInfo(bondsPath), eval, eval, AtExpertise, null, []);
        if (await FuseCommand.RunAsync(client, fuse, $"{run}-fuse", cancellationToken) != 0)
        {
            throw new InvalidOperationException($"fuse job {run}-fuse failed: see the messages above.");
        }

        var fusedSpace = $"{file.Name}.{AtExpertise}";
        var fused = await EvaluateSpaceAsync(client, eval, fusedSpace, AudioText, labelsText, run, cancellationToken);

        log.WriteLine($"[demo] {clock.Elapsed.TotalSeconds:F0} s: evaluating the base and expert spaces");
        var columns = new List<(string, IReadOnlyList<EvaluationResult>)>
        {
            ($"base ({file.Base})", await EvaluateTasksAsync(client, eval, file.Base, Tasks, labelsText, run, cancellationToken)),
        };
        foreach (var (name, _) in objectives)
        {
            columns.Add(($"bonded ({name})", (await evaluator.EvaluateAsync([best[name]], cancellationToken))[0]));
        }

        columns.Add(($"expert ({DemoBondFile.AudioText})",
            await EvaluateTasksAsync(client, eval, DemoBondFile.AudioText, [AudioText], labelsText, run, cancellationToken)));
        columns.Add(($"expert ({DemoBondFile.ImageText})",
            await EvaluateTasksAsync(client, eval, DemoBondFile.ImageText, [ImageText], labelsText, run, cancellationToken)));

        var reportFolder = Path.Combine(root, "report");
        if (Directory.Exists(reportFolder))
        {
            Directory.Delete(reportFolder, recursive: true);
        }

        var report = await DemoReport.BuildAsync(file.Name, columns, profiles, curve, train, Modes, cancellationToken);
        await report.WriteAsync(BlobStoreFactory.Open(root), "report", cancellationToken);

        var profileTable = profiles.ToDictionary(
            p => p.Key,
            p => (IReadOnlyDictionary<string, double>)p.Value.ToDictionary(a => a.Item1.ToString(), a => a.Item2),
            StringComparer.Ordinal);
        return new DemoPipelineResult(
            columns, profileTable, curve, fused.Metrics["R@1"], reportFolder, clock.Elapsed);
    }

    private static string TrainingProjectors(string bond) => Path.Combine("training", bond, "projectors");

    private static string ResetFolder(string folder)
    {
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }

        Directory.CreateDirectory(folder);
        return folder;
    }

    private static async Task EmbedAsync(
        IClusterClient client, SpacesFile spaces, string input, string output, string jobId, CancellationToken cancellationToken)
    {
        var request = new EmbeddingJobRequest
        {
            SpacesJson = spaces.Json,
            SpacesBaseDirectory = spaces.BaseDirectory,
            Input = input,
            Output = output,
            Spaces = [],
            Modalities = [],
        };
        var job = client.GetGrain<IEmbeddingJobGrain>(jobId);
        await job.StartAsync(request, cancellationToken);
        var final = await JobProgress.WaitAsync(token => job.GetStatusAsync(token), cancellationToken);
        if (final.State != EmbeddingJobState.Completed || final.Errors > 0)
        {
            throw new InvalidOperationException(
                $"embedding job {jobId} of '{input}' ended {final.State} with {final.Errors} error(s): {final.FailureReason}");
        }
    }

    private static async Task BuildPseudoAsync(
        IClusterClient client, string bondsJson, string bond, string root, DemoPipelineOptions options, string jobId,
        CancellationToken cancellationToken)
    {
        var request = new PseudoDatasetJobRequest
        {
            BondsJson = bondsJson,
            Bond = bond,
            Embeddings = root,
            Output = root,
            Modes = Modes,
            Seed = options.Seed,
        };
        if (await PseudoCommand.RunAsync(client, request, jobId, cancellationToken) != 0)
        {
            throw new InvalidOperationException($"pseudo-dataset job {jobId} of bond {bond} failed: see the messages above.");
        }
    }

    private static async Task TrainAsync(
        IClusterClient client, string bond, string root, DemoPipelineOptions options, string jobId, CancellationToken cancellationToken)
    {
        var request = new TrainingJobRequest
        {
            Data = root,
            Bond = bond,
            Output = root,
            Modes = Modes,
            Workers = Math.Max(1, options.Workers),
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            LearningRate = options.LearningRate,
            HiddenDimension = options.HiddenDimension,
            Seed = options.Seed,
            CheckpointEvery = 1_000,

            // The demo's datasets are small: training runs every epoch so the loss curves are complete.
            Patience = 0,
        };
        if (await TrainCommand.RunAsync(client, request, jobId, cancellationToken) != 0)
        {
            throw new InvalidOperationException($"training job {jobId} of bond {bond} failed: see the messages above.");
        }
    }

    /// <summary>Evaluates the combination's audio factor from 0 to 1 in steps of 0.1, the other factors at <paramref name="best"/>.</summary>
    private static async Task<IReadOnlyList<(double Factor, IReadOnlyDictionary<string, double> Recall)>> AudioFactorCurveAsync(
        SweepPointEvaluator evaluator, IReadOnlyList<SweepAxis> axes, IReadOnlyList<double> best, CancellationToken cancellationToken)
    {
        var axis = axes.ToList().FindIndex(a => a.Bond == DemoBondFile.Combination && a.Modality == Modality.Audio);
        var factors = Enumerable.Range(0, 11).Select(i => i / 10.0).ToList();
        var points = factors.Select(f => (IReadOnlyList<double>)best.Select((v, i) => i == axis ? f : v).ToArray()).ToList();
        var results = await evaluator.EvaluateAsync(points, cancellationToken);
        return factors
            .Select((f, i) => (f, (IReadOnlyDictionary<string, double>)results[i].ToDictionary(r => r.Task, r => r.Metrics["R@1"])))
            .ToList();
    }

    private static async Task<IReadOnlyList<EvaluationResult>> EvaluateTasksAsync(
        IClusterClient client, string embeddings, string space, IEnumerable<string> tasks, string labelsText, string run,
        CancellationToken cancellationToken)
    {
        var results = new List<EvaluationResult>();
        foreach (var task in tasks)
        {
            results.Add(await EvaluateSpaceAsync(client, embeddings, space, task, labelsText, run, cancellationToken));
        }

        return results;
    }

    private static async Task<EvaluationResult> EvaluateSpaceAsync(
        IClusterClient client, string embeddings, string space, string task, string labelsText, string run,
        CancellationToken cancellationToken)
    {
        var summary = await client.GetGrain<IEvaluationGrain>($"{run}/{space}/{task}").EvaluateAsync(
            new EvaluationRequest
            {
                Embeddings = embeddings,
                Space = space,
                Task = task,
                LabelsText = labelsText,
                LabelsFormat = "jsonl",
            },
            cancellationToken);
        return new EvaluationResult(summary.Task, summary.Space, summary.Metrics, summary.Counts);
    }

    /// <summary>Formats a metric in [0, 1] as a percentage.</summary>
    public static string Percent(double value) => (100 * value).ToString("0.0", CultureInfo.InvariantCulture);
}
