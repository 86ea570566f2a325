using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;
using FreeBind.Jobs;
using FreeBind.Training.Pseudo;

namespace FreeBind.Training;

/// <summary>
/// Checks a training request, then runs one <see cref="IBondTrainerGrain"/> per data mode side by
/// side; its status gathers theirs.
/// </summary>
public sealed class TrainingJobGrain(
    [PersistentState("training", FreeBindStorage.StateStorageName)] IPersistentState<TrainingJobState> state,
    JobStorage storage) : Grain, ITrainingJobGrain
{
    /// <inheritdoc />
    public async Task<TrainingJobStatus> StartAsync(TrainingJobRequest request, CancellationToken cancellationToken)
    {
        if (state.State.Request is not null)
        {
            return await GetStatusAsync(cancellationToken);
        }

        Validate(request);
        var data = storage.OpenOutput(request.Data);
        var missing = await PseudoDatasetInventory.FindMissingAsync(
            data, request.Bond, request.Expert, request.Modes, cancellationToken);
        if (missing is not null)
        {
            throw new JobConfigurationException(missing);
        }

        state.State.Request = request;
        await state.WriteStateAsync(cancellationToken);
        await GrainFactory.GetGrain<IJobRegistryGrain>(0).RegisterAsync(this.GetPrimaryKeyString(), JobKinds.Train, cancellationToken);
        await Task.WhenAll(request.Modes.Select(mode => Trainer(mode).StartAsync(request, mode, cancellationToken)));
        return await GetStatusAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async Task<TrainingJobStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        var request = state.State.Request;
        if (request is null)
        {
            return new TrainingJobStatus { JobId = this.GetPrimaryKeyString(), State = EmbeddingJobState.Pending };
        }

        var trainers = await Task.WhenAll(request.Modes.Select(mode => Trainer(mode).GetStatusAsync(cancellationToken)));
        var jobState =
            trainers.Any(t => t.State == EmbeddingJobState.Failed) ? EmbeddingJobState.Failed
            : trainers.All(t => t.State == EmbeddingJobState.Completed) ? EmbeddingJobState.Completed
            : EmbeddingJobState.Running;
        return new TrainingJobStatus
        {
            JobId = this.GetPrimaryKeyString(),
            State = jobState,
            Trainers = trainers,
            ProjectorFolder = $"{request.Output.TrimEnd('/')}/{TrainingLayout.Projectors(request.Bond, request.Expert)}",
        };
    }

    private IBondTrainerGrain Trainer(string mode) => GrainFactory.GetGrain<IBondTrainerGrain>($"{this.GetPrimaryKeyString()}/{mode}");

    /// <summary>Checks every setting; the error names the value and the valid range.</summary>
    /// <exception cref="JobConfigurationException">A setting is out of range.</exception>
    internal static void Validate(TrainingJobRequest request)
    {
        var problems = new List<string>();
        if (request.Modes.Count == 0)
        {
            problems.Add("no data mode given: pass --modes, e.g. mix,A,T");
        }

        foreach (var mode in request.Modes.Where(m => !ProjectorSetFiles.DataModes.Contains(m)))
        {
            problems.Add($"data mode '{mode}' is unknown: use {string.Join(", ", ProjectorSetFiles.DataModes)}");
        }

        if (request.Modes.Distinct(StringComparer.Ordinal).Count() != request.Modes.Count)
        {
            problems.Add($"data modes '{string.Join(",", request.Modes)}' repeat a mode: list each once");
        }

        Check(request.Workers >= 1, $"workers {request.Workers} is invalid: use 1 or more");
        Check(request.Epochs >= 1, $"epochs {request.Epochs} is invalid: use 1 or more");
        Check(request.BatchSize >= 2, $"batch size {request.BatchSize} is invalid: use 2 or more (BatchNorm needs 2 rows)");
        Check(request.Workers <= request.BatchSize, $"workers {request.Workers} exceed the batch size {request.BatchSize}: use fewer workers");
        Check(request.HiddenDimension >= 1, $"hidden dimension {request.HiddenDimension} is invalid: use 1 or more");
        Check(ProjectorMath.Activations.Contains(request.Activation), $"activation '{request.Activation}' is unknown: use {string.Join(", ", ProjectorMath.Activations)}");
        Check(request.Schedule is "cosine" or "constant", $"schedule '{request.Schedule}' is unknown: use cosine or constant");
        Check(request.WarmupSteps >= 0, $"warm-up steps {request.WarmupSteps} is invalid: use 0 or more");
        Check(request.CheckpointEvery >= 1, $"checkpoint interval {request.CheckpointEvery} is invalid: use 1 or more steps");
        Check(request.ValidationFraction is >= 0 and <= 0.5, $"validation fraction {request.ValidationFraction} is invalid: use a value in [0, 0.5]");
        Check(request.Patience >= 0, $"patience {request.Patience} is invalid: use 0 (never stop early) or more epochs");
        Check(request.StepTimeout > TimeSpan.Zero, $"step timeout {request.StepTimeout} is invalid: use a positive time");
        try
        {
            BondTrainerGrain.TrainingOptionsFor(request, Math.Max(1, request.Epochs)).Validate();
        }
        catch (ArgumentException exception)
        {
            problems.Add(exception.Message);
        }

        if (problems.Count > 0)
        {
            throw new JobConfigurationException(string.Join("; ", problems) + ".");
        }

        void Check(bool valid, string problem)
        {
            if (!valid)
            {
                problems.Add(problem);
            }
        }
    }
}
