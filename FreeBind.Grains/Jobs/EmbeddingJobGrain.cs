using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using FreeBind.Corpus;
using FreeBind.Media;
using FreeBind.Pipeline;
using FreeBind.Placement;
using FreeBind.Spaces;
using FreeBind.Storage;

using Microsoft.Extensions.Logging;

namespace FreeBind.Jobs;

/// <summary>
/// Coordinates one embedding job: checks the encoders, plans shards while earlier shards are
/// already embedding, retries failed shards on new activations, and writes the job manifest.
/// </summary>
/// <remarks>
/// Progress is kept in persistent grain state. If the silo that hosts this grain dies, the next
/// call re-activates it elsewhere and the job resumes: shards with a completion marker of the
/// same fingerprint are skipped, so nothing is embedded twice.
/// </remarks>
public sealed partial class EmbeddingJobGrain(
    [PersistentState("job", FreeBindStorage.StateStorageName)] IPersistentState<EmbeddingJobGrainState> state,
    JobStorage storage,
    GpuSiloMonitor gpuSilos,
    ILogger<EmbeddingJobGrain> logger) : Grain, IEmbeddingJobGrain
{
    // The same bound as an encoder's batchSize in the spaces file.
    private const int MaxBatchSize = 4096;

    private Task? _run;
    private GpuPlacementGuard? _gpu;

    // A new one for each run, cancelled by CancelAsync or by deactivation. Shard calls carry its
    // token to the encoder grains.
    private CancellationTokenSource _stop = new();

    // True once the activation is deactivating (its silo stops): the run stops but the job stays Running.
    private bool _deactivating;

    // Consecutive failed saves of the job's state. A save that succeeds resets it.
    private int _stateSaveFailures;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Request is not null && state.State.Status.State == EmbeddingJobState.Running)
        {
            LogResuming(this.GetPrimaryKeyString());
            _run = RunAsync();
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>
    /// A silo that stops gracefully deactivates the coordinator. The run stops, and the job stays
    /// Running in the saved state, so the next activation on another silo resumes it. Calls that
    /// fail while the silo shuts down do not mark the job Failed.
    /// </remarks>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_run is { IsCompleted: false } run)
        {
            _deactivating = true;
            LogPausing(this.GetPrimaryKeyString(), reason.Description);
            await _stop.CancelAsync();
            await run.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }

        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<EmbeddingJobStatus> StartAsync(EmbeddingJobRequest request, CancellationToken cancellationToken)
    {
        // A running job returns its status for a repeated start (a client that retries after a lost
        // call) and rejects other work under its id. A job that has ended runs again, which skips
        // every shard whose outputs carry a marker and redoes any whose outputs are gone.
        if (state.State.Request is { } running && state.State.Status.State is EmbeddingJobState.Running)
        {
            if (SameWork(running, request))
            {
                return state.State.Status;
            }

            var jobId = this.GetPrimaryKeyString();
            throw new JobConfigurationException(
                $"job '{jobId}' is already running with input '{running.Input}' and output '{running.Output}': " +
                $"wait for it, cancel it (freebind cancel {jobId} --cluster), or pass another --job id.");
        }

        List<string> labels;
        try
        {
            labels = SelectEncoders(SpacesFile.Parse(request.SpacesJson, request.SpacesBaseDirectory), request);
        }
        catch (SpacesFileException exception)
        {
            throw new JobConfigurationException(exception.Message);
        }

        if (request.ShardSize <= 0)
        {
            throw new JobConfigurationException($"shard size {request.ShardSize} is invalid: use a positive number of entries.");
        }

        if (request.BatchSize is < 0 or > MaxBatchSize)
        {
            throw new JobConfigurationException(
                $"batch size {request.BatchSize} is invalid: use 1 to {MaxBatchSize}, or 0 for each encoder's batchSize.");
        }

        if (!request.Output.Contains("://", StringComparison.Ordinal) && OutputPaths.FindFileOnPath(request.Output) is { } file)
        {
            throw new JobConfigurationException(file == request.Output
                ? $"output '{request.Output}' is a file: pass a folder (it is created when missing) or a blob URI."
                : $"output '{request.Output}' is inside '{file}', which is a file: pass a folder (it is created when missing) or a blob URI.");
        }

        // Opening the corpus checks its kind and that a local input exists, without reading it,
        // so a wrong --input fails here and not after the encoders have loaded.
        try
        {
            storage.OpenCorpus(request);
        }
        catch (ArgumentException exception)
        {
            // The message is for a user, who did not name a parameter: drop the " (Parameter 'input')" suffix.
            var message = exception.ParamName is null
                ? exception.Message
                : exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new JobConfigurationException(message);
        }

        // Load every encoder on a silo that will run them, before any shard is planned, so a model
        // that does not match its declaration fails the job at once with a clear message.
        var probe = GrainFactory.GetGrain<IEncoderGrain>($"{this.GetPrimaryKeyString()}/prepare/{Guid.NewGuid():N}");
        var encoders = await probe.PrepareAsync(request, labels, cancellationToken);

        state.State.Request = request;
        state.State.Encoders = labels;
        state.State.Status = new EmbeddingJobStatus
        {
            JobId = this.GetPrimaryKeyString(),
            State = EmbeddingJobState.Running,
            StartedAt = DateTimeOffset.UtcNow,
            // Without the query: the status reaches clients, Orleans' trace logs and the manifest.
            Input = BlobStoreFactory.Redact(request.Input),
            Output = BlobStoreFactory.Redact(request.Output),
            Providers = encoders.ToDictionary(e => e.Label, e => e.Provider),
        };
        state.State.EncoderFingerprints = string.Join(",", encoders.OrderBy(e => e.Label).Select(e => e.Fingerprint));
        state.State.RequiresGpu = gpuSilos.CountActiveGpuSilos() > 0;
        await state.WriteStateAsync(cancellationToken);
        await GrainFactory.GetGrain<IJobRegistryGrain>(0).RegisterAsync(this.GetPrimaryKeyString(), JobKinds.Embed, cancellationToken);

        LogJobStarted(this.GetPrimaryKeyString(), BlobStoreFactory.Redact(request.Input), BlobStoreFactory.Redact(request.Output), labels.Count);
        _run = RunAsync();
        return state.State.Status;
    }

    /// <inheritdoc />
    public async Task<EmbeddingJobStatus> CancelAsync(CancellationToken cancellationToken)
    {
        if (_run is null || state.State.Status.State != EmbeddingJobState.Running)
        {
            return state.State.Status;
        }

        LogCancelling(this.GetPrimaryKeyString());
        await _stop.CancelAsync();
        await _run.WaitAsync(cancellationToken);
        return state.State.Status;
    }

    /// <inheritdoc />
    public Task<EmbeddingJobStatus> GetStatusAsync(CancellationToken cancellationToken) =>
        Task.FromResult(state.State.Status);

    private static List<string> SelectEncoders(SpacesFile spaces, EmbeddingJobRequest request)
    {
        var modalities = request.Modalities.Select(ModalityNames.Parse).ToHashSet();
        var selectedSpaces = request.Spaces.Count == 0
            ? spaces.Spaces
            : request.Spaces.Select(spaces.GetSpace).ToList();
        var labels = selectedSpaces
            .SelectMany(space => space.Encoders
                .Where(e => modalities.Count == 0 || modalities.Contains(e.Modality))
                .Select(e => $"{space.Name}/{e.Modality.ToName()}"))
            .ToList();
        if (labels.Count == 0)
        {
            throw new SpacesFileException(
                $"no encoder matches spaces [{string.Join(", ", request.Spaces)}] and modalities " +
                $"[{string.Join(", ", request.Modalities)}]: check --space and --modalities.");
        }

        return labels;
    }

    private async Task RunAsync()
    {
        var request = state.State.Request!;
        var jobId = this.GetPrimaryKeyString();
        var runStarted = DateTimeOffset.UtcNow;
        _stop.Dispose();
        _stop = new CancellationTokenSource();
        var stop = _stop.Token;
        this.DelayDeactivation(TimeSpan.FromDays(7));
        _gpu = gpuSilos.CreateGuard(jobId, state.State.RequiresGpu, waiting => Update(s => s with { Waiting = waiting }));
        var inFlight = new List<Task<(int Shard, ShardResult? Result, string? Failure)>>();
        try
        {
            var corpus = storage.OpenCorpus(request);
            var corpusFingerprint = await corpus.ComputeFingerprintAsync(stop);
            var fingerprint = ComputeJobFingerprint(corpusFingerprint, request, state.State.EncoderFingerprints);
            Update(s => s with
            {
                Fingerprint = fingerprint,
                ShardsPlanned = 0,
                ShardsDone = 0,
                ShardsSkipped = 0,
                EntriesSkipped = 0,
                EntriesPlanned = 0,
                EntriesDone = 0,
                Embeddings = 0,
                Errors = 0,
                ErrorsByStage = new Dictionary<string, long>(),
                Warnings = new Dictionary<string, long>(),
                PlanningDone = false,
                InferenceSeconds = 0,
            });

            var maxInFlight = request.MaxShardsInFlight > 0 ? request.MaxShardsInFlight : await DefaultInFlightAsync();
            var failedShards = new List<(int Shard, string Failure)>();
            CorpusIssue? firstIssue = null;
            await foreach (var shard in corpus.PlanShardsAsync(request.ShardSize, stop))
            {
                firstIssue ??= shard.Issues.FirstOrDefault();
                while (inFlight.Count >= maxInFlight)
                {
                    await CollectOneAsync(inFlight, failedShards);
                }

                // A bad item becomes an error row, so a shard that failed every attempt points at the
                // cluster or the output (storage down, a file where a folder goes). The job then stops
                // planning and fails once the shards in flight end, instead of trying every remaining
                // shard first. Running it again resumes it.
                if (failedShards.Count > 0)
                {
                    break;
                }

                Update(s => s with { ShardsPlanned = s.ShardsPlanned + 1, EntriesPlanned = s.EntriesPlanned + shard.Entries.Count });

                var work = new ShardWork
                {
                    JobId = jobId,
                    Fingerprint = fingerprint,
                    Request = request,
                    Encoders = state.State.Encoders,
                    ShardIndex = shard.Index,
                    ShardJson = JsonSerializer.Serialize(shard, CorpusJson.Options),
                };
                inFlight.Add(EmbedWithRetriesAsync(work, stop));
            }

            Update(s => s with { PlanningDone = failedShards.Count == 0 });
            while (inFlight.Count > 0)
            {
                await CollectOneAsync(inFlight, failedShards);
            }

            stop.ThrowIfCancellationRequested();
            if (failedShards.Count > 0)
            {
                // The first failure's reason goes into the one-line message, because the client of a
                // cluster does not see the silo logs.
                var first = failedShards.MinBy(f => f.Shard);
                throw new InvalidOperationException(
                    $"{failedShards.Count} shard(s) failed {ShardAttempts.MaxAttempts} times (first: {first.Shard}, {first.Failure}); " +
                    "see the silo logs, then run the same command again to resume.");
            }

            if (state.State.Status.EntriesPlanned == 0)
            {
                // An empty result usually means a wrong --input, and "Completed, 0 entries" would hide it.
                throw new JobConfigurationException(NoEntriesMessage(state.State.Status, firstIssue));
            }

            // The manifest is written before the status changes to Completed, so a client that sees
            // Completed always finds the manifest.
            var completed = state.State.Status with { State = EmbeddingJobState.Completed, CompletedAt = DateTimeOffset.UtcNow };
            try
            {
                await WriteManifestAsync(request, completed);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                throw new IOException(
                    $"writing {OutputLayout.JobManifest} under '{completed.Output}' failed ({exception.Message}); " +
                    "fix the output, then run the same command again to finish the job.", exception);
            }

            state.State.Status = completed;
            LogJobCompleted(jobId, state.State.Status.ShardsDone, state.State.Status.Embeddings, state.State.Status.Errors);
            DeleteAbandonedTemporaryFiles(request, jobId, runStarted);
        }
        catch (Exception exception) when (_deactivating)
        {
            // Cancelled, or a call failed because the silo is stopping. The job stays Running in the
            // saved state, and the next activation resumes it.
            LogRunStoppedByDeactivation(exception, jobId);
            await ((Task)Task.WhenAll(inFlight)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Shards in flight stop at their next cancellation check without a completion marker. One
            // that finished first keeps its marker, is counted here and is skipped when the job runs
            // again. Shard calls wait for the encoder grain to stop (WaitForCancellationAcknowledgement),
            // so every shard that wrote its marker has returned its result by now.
            await ((Task)Task.WhenAll(inFlight)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            foreach (var task in inFlight.Where(t => t.IsCompletedSuccessfully))
            {
                if (task.Result.Result is { } result)
                {
                    RecordShardDone(result);
                }
            }

            LogJobCancelled(jobId, state.State.Status.ShardsDone);
            Update(s => s with
            {
                State = EmbeddingJobState.Cancelled,
                FailureReason = $"cancelled after {s.ShardsDone} of {s.ShardsPlanned}{(s.PlanningDone ? "" : " or more")} shard(s); " +
                    "completed shards are kept, and running the same command again resumes the job",
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
        catch (JobConfigurationException exception)
        {
            // A problem with the request, not the cluster: the client prints the reason.
            LogJobRejected(jobId, exception.Message);
            Update(s => s with
            {
                State = EmbeddingJobState.Failed,
                FailureReason = exception.Message.Split('\n')[0],
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
        catch (Exception exception)
        {
            LogJobFailed(exception, jobId);
            Update(s => s with
            {
                State = EmbeddingJobState.Failed,
                FailureReason = exception.Message.Split('\n')[0],
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
        finally
        {
            // A deactivating run leaves the state as each finished shard saved it. In a stopping
            // in-process silo the memory storage may be gone already.
            if (!_deactivating)
            {
                await TrySaveStateAsync(jobId);
                this.DelayDeactivation(TimeSpan.FromMinutes(10));
            }
        }
    }

    private async Task CollectOneAsync(
        List<Task<(int Shard, ShardResult? Result, string? Failure)>> inFlight, List<(int Shard, string Failure)> failedShards)
    {
        var finished = await Task.WhenAny(inFlight);
        inFlight.Remove(finished);
        var (shard, result, failure) = await finished;
        if (result is null)
        {
            failedShards.Add((shard, failure ?? "no error recorded"));
            return;
        }

        RecordShardDone(result);
        await TrySaveStateAsync(this.GetPrimaryKeyString());
    }

    /// <summary>
    /// Saves the job's state, logging a failure instead of raising it. The shard markers in the
    /// output, not this state, decide what a resumed run skips, so a save lost while grain storage
    /// is unreachable costs nothing but a progress figure. With the state saved as Running, the next
    /// activation re-runs the job, which then skips every marked shard.
    /// </summary>
    private async Task TrySaveStateAsync(string jobId)
    {
        try
        {
            await state.WriteStateAsync();
            if (_stateSaveFailures > 0)
            {
                LogStateSaveRecovered(jobId, _stateSaveFailures);
                _stateSaveFailures = 0;
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // One warning per outage, not one per shard.
            if (_stateSaveFailures++ == 0)
            {
                LogStateSaveFailed(exception, jobId);
            }
        }
    }

    /// <summary>
    /// Deletes the temporary files of writes that a killed process left in a local output folder,
    /// such as an earlier run of this job. Any failure here is logged, and the job stays completed.
    /// </summary>
    private void DeleteAbandonedTemporaryFiles(EmbeddingJobRequest request, string jobId, DateTimeOffset runStarted)
    {
        try
        {
            if (storage.OpenOutput(request.Output) is LocalBlobStore local)
            {
                int deleted = local.DeleteAbandonedTemporaryFiles(runStarted);
                if (deleted > 0)
                {
                    LogTemporaryFilesDeleted(jobId, deleted);
                }
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogTemporaryFilesNotListed(exception, jobId);
        }
    }

    /// <summary>
    /// Explains a job that planned no entries: the first planning error when there was one (a
    /// damaged tar, a manifest whose rows all failed), else the kinds of input that give entries.
    /// </summary>
    private static string NoEntriesMessage(EmbeddingJobStatus status, CorpusIssue? firstIssue)
    {
        if (firstIssue is not null)
        {
            return $"input '{status.Input}' has no entries to embed: {status.Errors} row(s) could not be planned, " +
                $"the first ({firstIssue.Source}) because {firstIssue.Message}. The error rows are under " +
                $"{status.Output}/errors/.";
        }

        var extensions = string.Join(", ", CorpusOptions.DefaultExtensions.Keys.Order(StringComparer.Ordinal).Select(e => "." + e));
        return $"input '{status.Input}' has no entries to embed: a folder or tar needs files with a known " +
            $"extension ({extensions}) for the selected modalities, and a manifest needs rows. A folder of tar " +
            "shards is not read as tars: pass them as a pattern such as 'shards/{00000..00099}.tar'. A blob " +
            "container or prefix that does not exist lists as empty. Check --input and --modalities.";
    }

    /// <summary>
    /// Returns whether two requests describe the same output: input, manifest root, output, spaces
    /// file, selection and shard size. Batch size and shards in flight change only the speed.
    /// </summary>
    private static bool SameWork(EmbeddingJobRequest first, EmbeddingJobRequest second) =>
        first.Input == second.Input
        && first.Output == second.Output
        && first.SpacesJson == second.SpacesJson
        && first.SpacesBaseDirectory == second.SpacesBaseDirectory
        && first.ManifestRoot == second.ManifestRoot
        && first.Spaces.SequenceEqual(second.Spaces)
        && first.Modalities.SequenceEqual(second.Modalities)
        && first.ShardSize == second.ShardSize;

    private void RecordShardDone(ShardResult result) =>
        Update(s => s with
        {
            ShardsDone = s.ShardsDone + 1,
            ShardsSkipped = s.ShardsSkipped + (result.Skipped ? 1 : 0),
            EntriesSkipped = s.EntriesSkipped + (result.Skipped ? result.Entries : 0),
            EntriesDone = s.EntriesDone + result.Entries,
            Embeddings = s.Embeddings + result.Embeddings,
            Errors = s.Errors + result.ErrorsByStage.Values.Sum(),
            ErrorsByStage = JobCounts.Merge(s.ErrorsByStage, result.ErrorsByStage),
            Warnings = JobCounts.MergeWarnings(s.Warnings, result.Warnings),
            InferenceSeconds = s.InferenceSeconds + result.InferenceSeconds,
        });

    private async Task<(int Shard, ShardResult? Result, string? Failure)> EmbedWithRetriesAsync(ShardWork work, CancellationToken stop)
    {
        string? failure = null;
        var attempts = new ShardAttempts($"{work.JobId}/{work.ShardIndex}");
        while (attempts.CanTry)
        {
            stop.ThrowIfCancellationRequested();
            // A new key per call gives a new activation, which placement may put on another silo.
            // The GPU guard holds the call while the job waits for a GPU silo (FreeBind:Placement).
            var key = attempts.NextKey();
            var attempt = attempts.Attempt;
            TimeSpan pause;
            try
            {
                var result = await _gpu!.RunAsync(
                    repeat => GrainFactory.GetGrain<IEncoderGrain>(repeat == 0 ? key : $"{key}/gpu-wait-{repeat}").EmbedShardAsync(work, stop),
                    stop);
                return (work.ShardIndex, result, null);
            }
            catch (Exception exception) when (stop.IsCancellationRequested)
            {
                // Whatever the encoder grain threw once the job was cancelled is the cancellation.
                throw new OperationCanceledException($"job {work.JobId} was cancelled", exception, stop);
            }
            catch (Exception exception) when (exception is not NoGpuSiloException)
            {
                Update(s => s with { ShardRetries = s.ShardRetries + 1 });
                Diagnostics.FreeBindMetrics.RecordShardRetry();
                failure = ShardFailureText.Describe(exception);
                pause = attempts.RecordFailure(exception);
                if (pause > TimeSpan.Zero)
                {
                    LogShardLostSilo(exception, work.JobId, work.ShardIndex, attempt, pause.TotalSeconds);
                }
                else
                {
                    LogShardAttemptFailed(exception, work.JobId, work.ShardIndex, attempt, ShardAttempts.MaxAttempts);
                }
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause, stop);
            }
        }

        return (work.ShardIndex, null, failure);
    }

    private async Task<int> DefaultInFlightAsync()
    {
        var management = GrainFactory.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetHosts(onlyActive: true);
        return Math.Max(2, hosts.Count * 2);
    }

    private async Task WriteManifestAsync(EmbeddingJobRequest request, EmbeddingJobStatus status)
    {
        var output = storage.OpenOutput(request.Output);
        var manifest = new
        {
            job = status.JobId,
            status,
            encoders = state.State.Encoders,
            layout = new
            {
                embeddings = OutputLayout.Embeddings("{space}", "{modality}", 0).Replace("000000", "{shard}", StringComparison.Ordinal),
                errors = OutputLayout.Errors(0).Replace("000000", "{shard}", StringComparison.Ordinal),
                warnings = OutputLayout.Warnings(0).Replace("000000", "{shard}", StringComparison.Ordinal),
            },
        };
        await output.WriteAsync(
            OutputLayout.JobManifest,
            (stream, token) => JsonSerializer.SerializeAsync(stream, manifest, JobCounts.ManifestJson, token),
            CancellationToken.None);
    }

    private static string ComputeJobFingerprint(string corpusFingerprint, EmbeddingJobRequest request, string encoderFingerprints)
    {
        var spacesHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(request.SpacesJson)));
        var text = string.Join("\n", corpusFingerprint, spacesHash, encoderFingerprints, request.ShardSize.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    private void Update(Func<EmbeddingJobStatus, EmbeddingJobStatus> change) =>
        state.State.Status = change(state.State.Status);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information,
        Message = "Job {JobId} started: input {Input}, output {Output}, {Encoders} encoder(s)")]
    private partial void LogJobStarted(string jobId, string input, string output, int encoders);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information,
        Message = "Job {JobId} completed: {Shards} shards, {Embeddings} embeddings, {Errors} error rows")]
    private partial void LogJobCompleted(string jobId, int shards, long embeddings, long errors);

    [LoggerMessage(EventId = 402, Level = LogLevel.Error, Message = "Job {JobId} failed")]
    private partial void LogJobFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning,
        Message = "Job {JobId} shard {Shard} attempt {Attempt} of {MaxAttempts} failed")]
    private partial void LogShardAttemptFailed(Exception exception, string jobId, int shard, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning,
        Message = "Job {JobId} shard {Shard} attempt {Attempt} lost its silo; the call is repeated in {Seconds} s without using up the attempt")]
    private partial void LogShardLostSilo(Exception exception, string jobId, int shard, int attempt, double seconds);

    [LoggerMessage(EventId = 417, Level = LogLevel.Information,
        Message = "Job {JobId} deleted {Count} temporary file(s) that killed writes had left in its output")]
    private partial void LogTemporaryFilesDeleted(string jobId, int count);

    [LoggerMessage(EventId = 418, Level = LogLevel.Warning,
        Message = "Job {JobId} failed to delete the temporary files left in its output; the job completed anyway")]
    private partial void LogTemporaryFilesNotListed(Exception exception, string jobId);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "Job {JobId} resumes after re-activation")]
    private partial void LogResuming(string jobId);

    [LoggerMessage(EventId = 409, Level = LogLevel.Information, Message = "Job {JobId} failed on its input: {Reason}")]
    private partial void LogJobRejected(string jobId, string reason);

    [LoggerMessage(EventId = 405, Level = LogLevel.Information, Message = "Job {JobId} is cancelling: stopping the shards in flight")]
    private partial void LogCancelling(string jobId);

    [LoggerMessage(EventId = 406, Level = LogLevel.Warning, Message = "Job {JobId} cancelled with {Shards} shard(s) done")]
    private partial void LogJobCancelled(string jobId, int shards);

    [LoggerMessage(EventId = 407, Level = LogLevel.Information,
        Message = "Job {JobId} pauses because its coordinator deactivates ({Reason}); the next activation resumes it")]
    private partial void LogPausing(string jobId, string reason);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning,
        Message = "Job {JobId} could not save its progress to grain storage; it keeps running and retries after each shard")]
    private partial void LogStateSaveFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 414, Level = LogLevel.Information,
        Message = "Job {JobId} saved its progress again after {Failures} failed save(s)")]
    private partial void LogStateSaveRecovered(string jobId, int failures);

    [LoggerMessage(EventId = 408, Level = LogLevel.Debug, Message = "Job {JobId} run stopped for deactivation")]
    private partial void LogRunStoppedByDeactivation(Exception exception, string jobId);
}
