using System.CommandLine;
using System.Globalization;

using FreeBind.Jobs;
using FreeBind.Training;

using Spectre.Console;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind train</c>: trains one projector per data mode of a bond from its pseudo datasets.</summary>
internal static class TrainCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    private static readonly Option<string> Bond = new("--bond") { Description = "Bond whose pseudo datasets to train on.", Required = true };

    private static readonly Option<string?> Expert = new("--expert") { Description = "Expert of a parallel bond; omit for a bond with one expert." };

    private static readonly Option<string> Data = new("--data")
    {
        Description = "Output root of a freebind pseudo job (folder or blob URI).",
        Required = true,
    };

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Output root for projectors, checkpoints and metrics (under training/<bond>/); default the --data root.",
    };

    private static readonly Option<string[]> Modes = new("--modes")
    {
        Description = "Data modes to train (comma-separated): mix, A, T, V, AT, AV, TV; default all seven.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<int> Workers = new("--workers") { Description = "Worker grains per projector.", DefaultValueFactory = _ => 2 };

    private static readonly Option<int> Epochs = new("--epochs") { Description = "Passes over the training split.", DefaultValueFactory = _ => 10 };

    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Global batch size.", DefaultValueFactory = _ => 256 };

    private static readonly Option<double> LearningRate = new("--lr") { Description = "AdamW learning rate.", DefaultValueFactory = _ => 1e-3 };

    private static readonly Option<double> Temperature = new("--temperature") { Description = "InfoNCE temperature.", DefaultValueFactory = _ => 0.07 };

    private static readonly Option<bool> LearnTemperature = new("--learn-temperature") { Description = "Train the temperature too (as CLIP's log logit scale)." };

    private static readonly Option<double> MseWeight = new("--mse-weight") { Description = "Weight of the squared-distance term.", DefaultValueFactory = _ => 0 };

    private static readonly Option<double> WeightDecay = new("--weight-decay") { Description = "AdamW weight decay of the Linear weights.", DefaultValueFactory = _ => 0.01 };

    private static readonly Option<double> ClipNorm = new("--clip-norm") { Description = "Gradient clipping norm, 0 for none.", DefaultValueFactory = _ => 1.0 };

    private static readonly Option<string> Schedule = new("--schedule") { Description = "cosine or constant.", DefaultValueFactory = _ => "cosine" };

    private static readonly Option<int> Warmup = new("--warmup") { Description = "Linear warm-up steps.", DefaultValueFactory = _ => 0 };

    private static readonly Option<int> Hidden = new("--hidden") { Description = "Hidden width of each projector.", DefaultValueFactory = _ => 2048 };

    private static readonly Option<string> Activation = new("--activation") { Description = "relu, gelu, silu or tanh.", DefaultValueFactory = _ => "relu" };

    private static readonly Option<int> Seed = new("--seed") { Description = "Seed of the weights, the validation split and the batch order; default 0." };

    private static readonly Option<int> CheckpointEvery = new("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 50 };

    private static readonly Option<double> Validation = new("--validation") { Description = "Share held out for validation, in [0, 0.5].", DefaultValueFactory = _ => 0.1 };

    private static readonly Option<int> Patience = new("--patience") { Description = "Epochs without better validation recall before stopping, 0 for never.", DefaultValueFactory = _ => 3 };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("train", "Train a bond's projectors (one per data mode) on its pseudo datasets, data-parallel on the cluster.")
        {
            Bond, Expert, Data, Output, Modes, Workers, Epochs, BatchSize, LearningRate, Temperature, LearnTemperature,
            MseWeight, WeightDecay, ClipNorm, Schedule, Warmup, Hidden, Activation, Seed, CheckpointEvery, Validation, Patience,
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = CreateRequest(parseResult);
            await using var connection = await ClusterConnection.OpenAsync(
                CommonOptions.UsesCluster(parseResult),
                parseResult.GetValue(CommonOptions.Gateway),
                parseResult.GetValue(CommonOptions.Verbosity),
                cancellationToken);
            var jobId = $"train-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            return await RunAsync(connection.Client, request, jobId, cancellationToken);
        });
        return command;
    }

    /// <summary>Builds a request from parsed options.</summary>
    public static TrainingJobRequest CreateRequest(ParseResult parseResult)
    {
        var data = Locations.Resolve(parseResult.GetValue(Data)!);
        var modes = Locations.Split(parseResult.GetValue(Modes));
        return new TrainingJobRequest
        {
            Data = data,
            Bond = parseResult.GetValue(Bond)!,
            Expert = parseResult.GetValue(Expert),
            Output = Locations.Resolve(parseResult.GetValue(Output) ?? data),
            Modes = modes.Count == 0 ? ["mix", "A", "T", "V", "AT", "AV", "TV"] : modes,
            Workers = parseResult.GetValue(Workers),
            Epochs = parseResult.GetValue(Epochs),
            BatchSize = parseResult.GetValue(BatchSize),
            LearningRate = parseResult.GetValue(LearningRate),
            Temperature = parseResult.GetValue(Temperature),
            LearnableTemperature = parseResult.GetValue(LearnTemperature),
            MseWeight = parseResult.GetValue(MseWeight),
            WeightDecay = parseResult.GetValue(WeightDecay),
            ClipNorm = parseResult.GetValue(ClipNorm),
            Schedule = parseResult.GetValue(Schedule)!,
            WarmupSteps = parseResult.GetValue(Warmup),
            HiddenDimension = parseResult.GetValue(Hidden),
            Activation = parseResult.GetValue(Activation)!,
            Seed = parseResult.GetValue(Seed),
            CheckpointEvery = parseResult.GetValue(CheckpointEvery),
            ValidationFraction = parseResult.GetValue(Validation),
            Patience = parseResult.GetValue(Patience),
        };
    }

    /// <summary>Runs a training job to its end with a progress bar per data mode; returns the exit code.</summary>
    public static async Task<int> RunAsync(IClusterClient client, TrainingJobRequest request, string jobId, CancellationToken cancellationToken)
    {
        var job = client.GetGrain<ITrainingJobGrain>(jobId);
        await job.StartAsync(request, cancellationToken);
        Console.Error.WriteLine($"training job {jobId}: bond {request.Bond}, modes {string.Join(",", request.Modes)}, {request.Workers} worker(s) each");
        var final = await WaitAsync(token => job.GetStatusAsync(token), cancellationToken);
        PrintSummary(final);
        return final.State == EmbeddingJobState.Completed ? 0 : 1;
    }

    /// <summary>Prints one line per trainer and where the projectors are.</summary>
    public static void PrintSummary(TrainingJobStatus status)
    {
        Console.WriteLine($"job {status.JobId}: {status.State}");
        foreach (var trainer in status.Trainers)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {trainer.Mode,-4} {trainer.State,-9} step {trainer.Step}/{trainer.TotalSteps} loss {trainer.Loss:F4} " +
                $"validation R@1 {trainer.ValidationRecall:F3} (best step {trainer.BestStep}){(trainer.StoppedEarly ? " stopped early" : "")} " +
                $"{trainer.PairsPerSecond:F0} pairs/s on {trainer.Provider}, {trainer.WorkerRestarts} worker restart(s)"));
            // Placement is printed only when it is news: some work ran away from the trainer's silo.
            if (trainer.Silo is not null && trainer.WorkerSilos.Any(silo => silo != trainer.Silo))
            {
                Console.WriteLine($"       trainer on {trainer.Silo}, workers on {string.Join(", ", trainer.WorkerSilos)}");
            }

            if (trainer.Error is not null)
            {
                Console.WriteLine($"       error: {trainer.Error}");
            }
        }

        if (status.State == EmbeddingJobState.Completed)
        {
            Console.WriteLine($"Projectors written under {status.ProjectorFolder} (<mode>.json and .safetensors; point a bond file's projectors at it)");
        }
    }

    private static async Task<TrainingJobStatus> WaitAsync(
        Func<CancellationToken, Task<TrainingJobStatus>> callStatus, CancellationToken cancellationToken)
    {
        // A training job survives the loss of a silo, so its client repeats status calls that fail with it.
        var retry = ClusterCallRetry.ForCommandLine();
        Func<Task<TrainingJobStatus>> getStatus = () => retry.RunAsync(callStatus, ClusterCallRetry.StatusCallTimeout, cancellationToken);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        var status = await getStatus();
        if (!console.Profile.Capabilities.Interactive)
        {
            // The first line comes after one interval, once the trainers know their step counts.
            var lastPrint = DateTime.UtcNow;
            while (status.State == EmbeddingJobState.Running)
            {
                if (DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(5))
                {
                    foreach (var t in status.Trainers)
                    {
                        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                            $"progress: {t.Mode} step {t.Step}/{t.TotalSteps} loss {t.Loss:F4} {t.PairsPerSecond:F0} pairs/s"));
                    }

                    lastPrint = DateTime.UtcNow;
                }

                await Task.Delay(PollInterval, cancellationToken);
                status = await getStatus();
            }

            return status;
        }

        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var tasks = status.Trainers.ToDictionary(t => t.Mode, t => context.AddTask(t.Mode, maxValue: Math.Max(1, t.TotalSteps)));
                while (true)
                {
                    foreach (var trainer in status.Trainers)
                    {
                        var task = tasks[trainer.Mode];
                        task.MaxValue = Math.Max(1, trainer.TotalSteps);
                        task.Value = trainer.Step;
                        task.Description = string.Create(CultureInfo.InvariantCulture,
                            $"{trainer.Mode,-4} step {trainer.Step}/{trainer.TotalSteps} loss {trainer.Loss:F4} {trainer.PairsPerSecond:F0} pairs/s");
                    }

                    if (status.State != EmbeddingJobState.Running)
                    {
                        break;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                    status = await getStatus();
                }
            });
        return status;
    }
}
