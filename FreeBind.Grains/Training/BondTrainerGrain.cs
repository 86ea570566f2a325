using System.Diagnostics;
using System.Globalization;
using System.Text;

using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Diagnostics;
using FreeBind.Jobs;
using FreeBind.Storage;
using FreeBind.Training.Pseudo;

using Microsoft.Extensions.Logging;

namespace FreeBind.Training;

/// <summary>
/// Trains one projector by synchronous data-parallel steps over worker grains, checkpoints to
/// storage, validates after every epoch and keeps the best weights as the trained projector.
/// </summary>
/// <remarks>
/// <para>
/// A step runs <see cref="TrainingStepCoordinator"/> over <see cref="RemoteTrainingShard"/>s, so the
/// loss uses the global batch and BatchNorm the global batch statistics whatever the worker count.
/// Global batch b of epoch e is the same rows on every worker (<see cref="TrainingDataset"/>).
/// </para>
/// <para>
/// Fault tolerance: a step that fails or outlives <see cref="TrainingJobRequest.StepTimeout"/>
/// leaves the weights untouched, and is retried on a new generation of workers (new grain keys,
/// so new activations, possibly on other silos). Loading a new generation is part of the retry
/// and has its own step timeout. If this grain's silo dies, the next call
/// re-activates it and it resumes from the checkpoint in storage. It redoes the steps after the
/// checkpoint on the same rows, so the result equals an uninterrupted run.
/// </para>
/// </remarks>
public sealed partial class BondTrainerGrain(
    [PersistentState("trainer", FreeBindStorage.StateStorageName)] IPersistentState<BondTrainerState> state,
    JobStorage storage,
    ILocalSiloDetails silo,
    ILogger<BondTrainerGrain> logger) : Grain, IBondTrainerGrain
{
    private const int MaxStepAttempts = 3;
    private const string CsvHeader = "step,epoch,kind,loss,contrastive,squared_error,learning_rate,gradient_norm,pairs_per_s,validation_loss,validation_recall_at_1";

    private Task? _run;
    private TrainerStatus _status = new() { Mode = "" };
    private readonly List<string> _metrics = [];

    // Best weights found since the last checkpoint; the next checkpoint writes them before it commits.
    private ProjectorWeights? _pendingBest;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Status is { } saved)
        {
            _status = saved;
        }

        _status = _status with { Silo = silo.SiloAddress.ToString() };
        if (state.State.Request is not null && _status.State == EmbeddingJobState.Running)
        {
            LogResuming(this.GetPrimaryKeyString(), state.State.CheckpointStep);
            _run = RunAsync();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<TrainerStatus> StartAsync(TrainingJobRequest request, string mode, CancellationToken cancellationToken)
    {
        if (state.State.Request is not null)
        {
            return _status;
        }

        _status = new TrainerStatus { Mode = mode, State = EmbeddingJobState.Running, Silo = silo.SiloAddress.ToString() };
        state.State.Request = request;
        state.State.Mode = mode;
        state.State.Status = _status;
        await state.WriteStateAsync(cancellationToken);
        _run = RunAsync();
        return _status;
    }

    /// <inheritdoc />
    public Task<TrainerStatus> GetStatusAsync(CancellationToken cancellationToken) => Task.FromResult(_status);

    private async Task RunAsync()
    {
        var request = state.State.Request!;
        var mode = state.State.Mode;
        var label = this.GetPrimaryKeyString();
        try
        {
            await TrainAsync(request, mode, label);
        }
        catch (Exception exception)
        {
            LogTrainingFailed(exception, label);
            _status = _status with { State = EmbeddingJobState.Failed, Error = exception.Message };
            state.State.Status = _status;
            await state.WriteStateAsync();
        }
    }

    private async Task TrainAsync(TrainingJobRequest request, string mode, string label)
    {
        var data = storage.OpenOutput(request.Data);
        var output = storage.OpenOutput(request.Output);
        var folder = PseudoLayout.Folder(request.Bond, request.Expert, mode);
        var dataset = await TrainingDataset.LoadAsync(data, folder, request.Seed, request.ValidationFraction, CancellationToken.None);
        var batchSize = dataset.EffectiveBatchSize(request.BatchSize);
        var stepsPerEpoch = dataset.StepsPerEpoch(request.BatchSize);
        var totalSteps = (long)stepsPerEpoch * request.Epochs;
        var options = TrainingOptionsFor(request, totalSteps);

        var architecture = new ProjectorArchitecture(
            dataset.SourceDimension, request.HiddenDimension, dataset.TargetDimension, request.Activation);
        var training = state.State.CheckpointStep > 0
            ? await LoadCheckpointAsync(output, request, mode, options)
            : new ProjectorTrainingState(ProjectorInitializer.Create(architecture, request.Seed), options);
        await LoadMetricsAsync(output, request, mode, training.Optimizer.Step);

        var (validationSource, validationTarget) = ValidationRows(dataset);
        _status = _status with
        {
            Step = training.Optimizer.Step,
            TotalSteps = totalSteps,
            TrainingRows = dataset.TrainRows.Length,
            ValidationRows = dataset.ValidationRows.Length,
        };

        var workers = await StartWorkersAsync(request, folder, label, CancellationToken.None);
        var coordinator = new TrainingStepCoordinator(workers.Shards, options);
        var replaceWorkers = false;
        var window = Stopwatch.StartNew();
        var windowPairs = 0L;
        var stepTime = TimeSpan.Zero;
        var validationTime = TimeSpan.Zero;
        var checkpointTime = TimeSpan.Zero;
        while (training.Optimizer.Step < totalSteps)
        {
            var step = training.Optimizer.Step;
            var epoch = (int)(step / stepsPerEpoch);
            var batch = (int)(step % stepsPerEpoch);
            var started = Stopwatch.GetTimestamp();
            TrainingStepResult? result = null;
            for (var attempt = 1; result is null; attempt++)
            {
                try
                {
                    if (replaceWorkers)
                    {
                        // Replacements load inside the attempt, under their own step timeout, so a load
                        // that hangs or fails (e.g. on a silo not yet declared dead) is one more failed attempt.
                        using var loadTimeout = new CancellationTokenSource(request.StepTimeout);
                        workers = await StartWorkersAsync(request, folder, label, loadTimeout.Token);
                        coordinator = new TrainingStepCoordinator(workers.Shards, options);
                        replaceWorkers = false;
                    }

                    using var timeout = new CancellationTokenSource(request.StepTimeout);
                    await Task.WhenAll(workers.Grains.Select(w => w.SelectBatchAsync(epoch, batch, timeout.Token)));
                    result = await coordinator.StepAsync(training, timeout.Token);
                }
                catch (Exception exception) when (attempt < MaxStepAttempts && exception is not ArgumentException)
                {
                    // The weights change only after every shard returned its gradients, so the step can run again.
                    LogStepFailed(exception, label, step, attempt);
                    _status = _status with { WorkerRestarts = _status.WorkerRestarts + 1 };
                    replaceWorkers = true;
                }
            }

            var duration = Stopwatch.GetElapsedTime(started);
            stepTime += duration;
            FreeBindMetrics.RecordTrainingStep(label, result.Loss.Total, result.BatchSize, duration);
            windowPairs += result.BatchSize;
            var pairsPerSecond = windowPairs / Math.Max(window.Elapsed.TotalSeconds, 1e-9);
            _metrics.Add(string.Create(CultureInfo.InvariantCulture,
                $"{result.Step},{epoch},train,{result.Loss.Total:R},{result.Loss.Contrastive:R},{result.Loss.SquaredError:R},{result.LearningRate:R},{result.GradientNorm:R},{pairsPerSecond:F1},,"));
            _status = _status with { Step = result.Step, Epoch = epoch, Loss = result.Loss.Total, PairsPerSecond = pairsPerSecond };

            var endOfEpoch = result.Step % stepsPerEpoch == 0;
            var stop = false;
            if (endOfEpoch)
            {
                var validationStarted = Stopwatch.GetTimestamp();
                stop = await ValidateAsync(output, request, mode, training, epoch, validationSource, validationTarget, dataset.ValidationRows.Length, options);
                validationTime += Stopwatch.GetElapsedTime(validationStarted);
            }

            // Epoch ends get no checkpoint of their own, because a resumed run replays the validation
            // of every epoch after its checkpoint and so reaches the same best projector.
            if (result.Step % Math.Max(1, request.CheckpointEvery) == 0 || result.Step == totalSteps || stop)
            {
                var checkpointStarted = Stopwatch.GetTimestamp();
                await CheckpointAsync(output, request, mode, training);
                checkpointTime += Stopwatch.GetElapsedTime(checkpointStarted);
                window.Restart();
                windowPairs = 0;
            }

            if (stop)
            {
                _status = _status with { StoppedEarly = true };
                break;
            }
        }

        if (dataset.ValidationRows.Length == 0)
        {
            // Without a validation split the last weights are the trained projector.
            await SaveProjectorAsync(output, request, mode, training.Weights);
            _status = _status with { BestStep = training.Optimizer.Step };
        }

        foreach (var worker in workers.Grains)
        {
            await worker.ReleaseAsync();
        }

        _status = _status with { State = EmbeddingJobState.Completed };
        state.State.Status = _status;
        await state.WriteStateAsync();
        LogTrainingCompleted(
            label, _status.Step, _status.BestStep, _status.ValidationRecall,
            stepTime.TotalSeconds, validationTime.TotalSeconds, checkpointTime.TotalSeconds);
    }

    private async Task<(ITrainingWorkerGrain[] Grains, ITrainingShard[] Shards)> StartWorkersAsync(
        TrainingJobRequest request, string folder, string label, CancellationToken cancellationToken)
    {
        state.State.Generation++;
        var generation = state.State.Generation;
        var grains = Enumerable.Range(0, request.Workers)
            .Select(w => GrainFactory.GetGrain<ITrainingWorkerGrain>($"{label}/g{generation}/w{w}"))
            .ToArray();
        var loaded = await Task.WhenAll(grains.Select((grain, w) => grain.LoadAsync(
            new TrainingWorkerSetup
            {
                Data = request.Data,
                Folder = folder,
                WorkerIndex = w,
                WorkerCount = request.Workers,
                BatchSize = request.BatchSize,
                Seed = request.Seed,
                ValidationFraction = request.ValidationFraction,
            },
            cancellationToken)));
        _status = _status with
        {
            Provider = string.Join(",", loaded.Select(w => w.Provider).Distinct()),
            WorkerSilos = loaded.Select(w => w.Silo).ToArray(),
        };
        return (grains, grains.Select(g => (ITrainingShard)new RemoteTrainingShard(g)).ToArray());
    }

    private async Task<bool> ValidateAsync(
        IBlobStore output,
        TrainingJobRequest request,
        string mode,
        ProjectorTrainingState training,
        int epoch,
        float[] source,
        float[] target,
        int rows,
        TrainingOptions options)
    {
        if (rows == 0)
        {
            return false;
        }

        var (loss, recall) = TrainingValidation.Evaluate(training.Weights, source, target, rows, 1 / training.Scale(options));
        _metrics.Add(string.Create(CultureInfo.InvariantCulture,
            $"{training.Optimizer.Step},{epoch},validation,,,,,,,{loss:R},{recall:R}"));
        _status = _status with { ValidationLoss = loss, ValidationRecall = recall };
        var better = recall > state.State.BestRecall || (recall == state.State.BestRecall && loss < state.State.BestLoss);
        if (better)
        {
            state.State.BestRecall = recall;
            state.State.BestLoss = loss;
            state.State.EpochsWithoutImprovement = 0;
            _pendingBest = training.Weights.Copy();
            _status = _status with { BestStep = training.Optimizer.Step };
            return false;
        }

        state.State.EpochsWithoutImprovement++;
        return request.Patience > 0 && state.State.EpochsWithoutImprovement >= request.Patience;
    }

    private async Task CheckpointAsync(IBlobStore output, TrainingJobRequest request, string mode, ProjectorTrainingState training)
    {
        var step = training.Optimizer.Step;
        if (_pendingBest is { } best)
        {
            // Written with the checkpoint, not at each better epoch, because a resume from the
            // previous checkpoint replays those epochs and finds the same best weights again.
            await SaveProjectorAsync(output, request, mode, best);
            _pendingBest = null;
        }

        var path = TrainingLayout.Checkpoint(request.Bond, request.Expert, mode, step);
        await UploadAsync(output, path, TrainingLayout.CheckpointSuffixes, local => TrainingCheckpoint.Save(local, training));
        // NOTE: each checkpoint rewrites the whole CSV, so the cost grows with the run. Runs of many
        // thousands of steps should append per checkpoint instead.
        var csv = new StringBuilder().AppendLine(CsvHeader);
        foreach (var line in _metrics)
        {
            csv.AppendLine(line);
        }

        await output.WriteAsync(
            TrainingLayout.Metrics(request.Bond, request.Expert, mode),
            (stream, token) => stream.WriteAsync(Encoding.UTF8.GetBytes(csv.ToString()), token).AsTask(),
            CancellationToken.None);
        // The state write commits the checkpoint: until then a resume uses the previous one.
        var previous = state.State.CheckpointStep;
        state.State.CheckpointStep = step;
        state.State.Status = _status;
        await state.WriteStateAsync();
        if (previous > 0 && previous != step)
        {
            await DeleteCheckpointAsync(output, TrainingLayout.Checkpoint(request.Bond, request.Expert, mode, previous));
        }
    }

    private async Task DeleteCheckpointAsync(IBlobStore output, string path)
    {
        try
        {
            foreach (var suffix in TrainingLayout.CheckpointSuffixes)
            {
                await output.DeleteAsync(path + suffix, CancellationToken.None);
            }
        }
        catch (Exception exception) when (exception is IOException or Azure.RequestFailedException)
        {
            // An old checkpoint left behind costs storage only; the next run does not read it.
            LogCheckpointNotDeleted(exception, this.GetPrimaryKeyString(), path);
        }
    }

    private async Task<ProjectorTrainingState> LoadCheckpointAsync(
        IBlobStore output, TrainingJobRequest request, string mode, TrainingOptions options)
    {
        var path = TrainingLayout.Checkpoint(request.Bond, request.Expert, mode, state.State.CheckpointStep);
        var folder = Directory.CreateTempSubdirectory("freebind-checkpoint-");
        try
        {
            var local = Path.Combine(folder.FullName, "checkpoint");
            foreach (var suffix in TrainingLayout.CheckpointSuffixes)
            {
                await using var source = await output.OpenReadAsync(path + suffix, CancellationToken.None);
                await using var target = File.Create(local + suffix);
                await source.CopyToAsync(target);
            }

            var training = TrainingCheckpoint.Load(local, options);
            if (training.Optimizer.Step != state.State.CheckpointStep)
            {
                throw new InvalidDataException(
                    $"checkpoint '{path}' contains step {training.Optimizer.Step}, not {state.State.CheckpointStep}: the file is corrupt; " +
                    "delete the job's training output and train again.");
            }

            return training;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private async Task LoadMetricsAsync(IBlobStore output, TrainingJobRequest request, string mode, long step)
    {
        _metrics.Clear();
        var path = TrainingLayout.Metrics(request.Bond, request.Expert, mode);
        if (step == 0 || !await output.ExistsAsync(path, CancellationToken.None))
        {
            return;
        }

        await using var stream = await output.OpenReadAsync(path, CancellationToken.None);
        using var reader = new StreamReader(stream);
        await reader.ReadLineAsync();
        while (await reader.ReadLineAsync() is { } line)
        {
            // Rows after the checkpoint are redone by the resumed run.
            var rowStep = long.Parse(line.AsSpan(0, line.IndexOf(',')), CultureInfo.InvariantCulture);
            if (rowStep <= step)
            {
                _metrics.Add(line);
            }
        }
    }

    private static async Task SaveProjectorAsync(IBlobStore output, TrainingJobRequest request, string mode, ProjectorWeights weights)
    {
        var path = TrainingLayout.Projectors(request.Bond, request.Expert) + mode;
        await UploadAsync(output, path, TrainingLayout.ProjectorSuffixes, local => ProjectorCheckpoint.Save(local, weights));
    }

    private static async Task UploadAsync(IBlobStore output, string path, IReadOnlyList<string> suffixes, Action<string> save)
    {
        var folder = Directory.CreateTempSubdirectory("freebind-upload-");
        try
        {
            var local = Path.Combine(folder.FullName, "file");
            save(local);
            foreach (var suffix in suffixes)
            {
                await output.WriteAsync(
                    path + suffix,
                    async (stream, token) =>
                    {
                        await using var source = File.OpenRead(local + suffix);
                        await source.CopyToAsync(stream, token);
                    },
                    CancellationToken.None);
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static (float[] Source, float[] Target) ValidationRows(TrainingDataset dataset)
    {
        var rows = dataset.ValidationRows;
        var source = new float[rows.Length * dataset.SourceDimension];
        var target = new float[rows.Length * dataset.TargetDimension];
        dataset.CopyRows(rows, source, target);
        return (source, target);
    }

    /// <summary>Maps the request's settings to the Core training options.</summary>
    internal static TrainingOptions TrainingOptionsFor(TrainingJobRequest request, long totalSteps)
    {
        var cosine = string.Equals(request.Schedule, "cosine", StringComparison.OrdinalIgnoreCase);
        return new TrainingOptions
        {
            Temperature = request.Temperature,
            LearnableTemperature = request.LearnableTemperature,
            MseWeight = request.MseWeight,
            LearningRate = request.LearningRate,
            WeightDecay = request.WeightDecay,
            ClipNorm = request.ClipNorm,
            Schedule = new LearningRateSchedule(
                cosine ? LearningRateScheduleKind.Cosine : LearningRateScheduleKind.Constant,
                request.WarmupSteps,
                cosine ? (int)Math.Max(totalSteps, request.WarmupSteps + 1L) : 0),
        };
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information, Message = "Trainer {Trainer} resumes from the checkpoint at step {Step}")]
    private partial void LogResuming(string trainer, long step);

    [LoggerMessage(EventId = 901, Level = LogLevel.Warning, Message = "Trainer {Trainer}: step {Step} failed on attempt {Attempt}; replacing the workers")]
    private partial void LogStepFailed(Exception exception, string trainer, long step, int attempt);

    [LoggerMessage(EventId = 902, Level = LogLevel.Error, Message = "Trainer {Trainer} failed")]
    private partial void LogTrainingFailed(Exception exception, string trainer);

    [LoggerMessage(EventId = 904, Level = LogLevel.Warning, Message = "Trainer {Trainer}: deleting the old checkpoint {Path} failed")]
    private partial void LogCheckpointNotDeleted(Exception exception, string trainer, string path);

    [LoggerMessage(EventId = 903, Level = LogLevel.Information,
        Message = "Trainer {Trainer} completed at step {Step}; best step {BestStep}, validation recall@1 {Recall:F3}; " +
            "{StepSeconds:F1} s in steps, {ValidationSeconds:F1} s in validation, {CheckpointSeconds:F1} s in checkpoints (this activation)")]
    private partial void LogTrainingCompleted(
        string trainer, long step, long bestStep, double recall, double stepSeconds, double validationSeconds, double checkpointSeconds);
}
