using System.Globalization;
using System.Text.Json;

using FreeBind.Pipeline;

using Microsoft.Extensions.Logging;

namespace FreeBind.Jobs;

/// <summary>
/// Coordinates one fuse job: compiles the bond graph on a worker, lists the shards of the input
/// embeddings, fuses them on worker grains with retries, and writes the fuse manifest.
/// </summary>
/// <remarks>
/// Resuming works through the shard markers: running the same fuse again skips shards whose
/// marker has the same fingerprint.
/// NOTE: progress lives in memory only; a lost coordinator silo loses the status, not the
/// written shards.
/// </remarks>
public sealed partial class FuseJobGrain(JobStorage storage, ILogger<FuseJobGrain> logger) : Grain, IFuseJobGrain
{
    private EmbeddingJobStatus _status = new();
    private Task? _run;

    /// <inheritdoc />
    public async Task<EmbeddingJobStatus> StartAsync(FuseJobRequest request, CancellationToken cancellationToken)
    {
        if (_run is not null)
        {
            return _status;
        }

        var worker = GrainFactory.GetGrain<IFuseWorkerGrain>($"{this.GetPrimaryKeyString()}/prepare");
        var preparation = await worker.PrepareAsync(request, cancellationToken);
        var requested = request.Modalities.Select(m => m.Trim().ToLowerInvariant()).ToHashSet();
        var unknown = requested.Except(preparation.Modalities).ToList();
        if (unknown.Count > 0)
        {
            throw new JobConfigurationException(
                $"modality '{unknown[0]}' is not covered by fused space '{preparation.Space}'; " +
                $"it covers {string.Join(", ", preparation.Modalities)}.");
        }

        _status = new EmbeddingJobStatus
        {
            JobId = this.GetPrimaryKeyString(),
            State = EmbeddingJobState.Running,
            StartedAt = DateTimeOffset.UtcNow,
            Input = FreeBind.Storage.BlobStoreFactory.Redact(request.Embeddings),
            Output = FreeBind.Storage.BlobStoreFactory.Redact(request.Output),
            Fingerprint = preparation.Fingerprint,
        };
        await GrainFactory.GetGrain<IJobRegistryGrain>(0).RegisterAsync(this.GetPrimaryKeyString(), JobKinds.Fuse, cancellationToken);
        LogFuseStarted(this.GetPrimaryKeyString(), preparation.Space, preparation.Profile);
        _run = RunAsync(request, preparation);
        return _status;
    }

    /// <inheritdoc />
    public Task<EmbeddingJobStatus> GetStatusAsync(CancellationToken cancellationToken) => Task.FromResult(_status);

    private async Task RunAsync(FuseJobRequest request, FusePreparation preparation)
    {
        this.DelayDeactivation(TimeSpan.FromDays(7));
        try
        {
            var shards = await ListShardsAsync(request, preparation);
            _status = _status with { ShardsPlanned = shards.Count, PlanningDone = true };

            var inFlight = new List<Task<ShardOutcome>>();
            var failed = new List<ShardOutcome>();
            foreach (var shard in shards)
            {
                if (inFlight.Count >= 4)
                {
                    Collect(await Task.WhenAny(inFlight), inFlight, failed);
                }

                // A shard that failed every attempt points at the cluster or the output, not at one
                // bad row, so the job stops starting shards and fails once those in flight end.
                if (failed.Count > 0)
                {
                    break;
                }

                inFlight.Add(FuseWithRetriesAsync(request, shard));
            }

            while (inFlight.Count > 0)
            {
                Collect(await Task.WhenAny(inFlight), inFlight, failed);
            }

            if (failed.Count > 0)
            {
                // The first failure's reason goes into the message, because the client of a cluster
                // does not see the silo logs.
                var first = failed.MinBy(f => f.Shard)!;
                throw new InvalidOperationException(
                    $"{failed.Count} shard(s) failed {ShardAttempts.MaxAttempts} times (first: {first.Shard}, {first.Failure}); " +
                    "see the silo logs, then run again to resume.");
            }

            var completed = _status with { State = EmbeddingJobState.Completed, CompletedAt = DateTimeOffset.UtcNow };
            await WriteManifestAsync(request, preparation, completed);
            _status = completed;
        }
        catch (Exception exception)
        {
            LogFuseFailed(exception, this.GetPrimaryKeyString());
            _status = _status with
            {
                State = EmbeddingJobState.Failed,
                FailureReason = exception.Message.Split('\n')[0],
                CompletedAt = DateTimeOffset.UtcNow,
            };
        }
        finally
        {
            this.DelayDeactivation(TimeSpan.FromMinutes(10));
        }
    }

    private async Task<List<int>> ListShardsAsync(FuseJobRequest request, FusePreparation preparation)
    {
        var store = storage.OpenOutput(request.Embeddings);
        var shards = new SortedSet<int>();
        foreach (var (modality, inputs) in preparation.Inputs)
        {
            foreach (var space in inputs)
            {
                await foreach (var path in store.ListAsync($"embeddings/{space}/{modality}/", CancellationToken.None))
                {
                    var name = Path.GetFileNameWithoutExtension(path);
                    if (name.StartsWith("shard-", StringComparison.Ordinal)
                        && int.TryParse(name["shard-".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var shard))
                    {
                        shards.Add(shard);
                    }
                }
            }
        }

        if (shards.Count == 0)
        {
            throw new InvalidOperationException(
                $"no embedding shards found under '{request.Embeddings}/embeddings/' for the spaces the bond file reads " +
                $"({string.Join(", ", preparation.Inputs.Values.SelectMany(v => v).Distinct())}): run freebind embed with those spaces first.");
        }

        return shards.ToList();
    }

    private void Collect(Task<ShardOutcome> finished, List<Task<ShardOutcome>> inFlight, List<ShardOutcome> failed)
    {
        inFlight.Remove(finished);
        var outcome = finished.Result;
        if (outcome.Result is not { } result)
        {
            failed.Add(outcome);
            return;
        }

        _status = _status with
        {
            ShardsDone = _status.ShardsDone + 1,
            ShardsSkipped = _status.ShardsSkipped + (result.Skipped ? 1 : 0),
            EntriesSkipped = _status.EntriesSkipped + (result.Skipped ? result.Entries : 0),
            EntriesDone = _status.EntriesDone + result.Entries,
            EntriesPlanned = _status.EntriesPlanned + result.Entries,
            Embeddings = _status.Embeddings + result.Embeddings,
            Errors = _status.Errors + result.ErrorsByStage.Values.Sum(),
            ErrorsByStage = JobCounts.Merge(_status.ErrorsByStage, result.ErrorsByStage),
            InferenceSeconds = _status.InferenceSeconds + result.InferenceSeconds,
        };
    }

    private async Task<ShardOutcome> FuseWithRetriesAsync(FuseJobRequest request, int shard)
    {
        var failure = "";
        var attempts = new ShardAttempts($"{this.GetPrimaryKeyString()}/{shard}");
        while (attempts.CanTry)
        {
            var worker = GrainFactory.GetGrain<IFuseWorkerGrain>(attempts.NextKey());
            var attempt = attempts.Attempt;
            TimeSpan pause;
            try
            {
                return new ShardOutcome(shard, await worker.FuseShardAsync(request, shard), null);
            }
            catch (Exception exception)
            {
                _status = _status with { ShardRetries = _status.ShardRetries + 1 };
                Diagnostics.FreeBindMetrics.RecordShardRetry();
                failure = ShardFailureText.Describe(exception);
                pause = attempts.RecordFailure(exception);
                if (pause > TimeSpan.Zero)
                {
                    LogShardLostSilo(exception, this.GetPrimaryKeyString(), shard, attempt, pause.TotalSeconds);
                }
                else
                {
                    LogShardAttemptFailed(exception, this.GetPrimaryKeyString(), shard, attempt, ShardAttempts.MaxAttempts);
                }
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }

        return new ShardOutcome(shard, null, failure);
    }

    /// <summary>A shard's result, or the last attempt's failure when every attempt failed.</summary>
    private sealed record ShardOutcome(int Shard, ShardResult? Result, string? Failure);

    private async Task WriteManifestAsync(FuseJobRequest request, FusePreparation preparation, EmbeddingJobStatus status)
    {
        var output = storage.OpenOutput(request.Output);
        var manifest = new { job = status.JobId, preparation, status };
        await output.WriteAsync(
            $"fuse/{preparation.FolderName}/manifest.json",
            (stream, token) => JsonSerializer.SerializeAsync(stream, manifest, JobCounts.ManifestJson, token),
            CancellationToken.None);
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Fuse job {JobId} started: space {Space}, profile {Profile}")]
    private partial void LogFuseStarted(string jobId, string space, string profile);

    [LoggerMessage(EventId = 411, Level = LogLevel.Error, Message = "Fuse job {JobId} failed")]
    private partial void LogFuseFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 416, Level = LogLevel.Warning,
        Message = "Fuse job {JobId} shard {Shard} attempt {Attempt} lost its silo; the call is repeated in {Seconds} s without using up the attempt")]
    private partial void LogShardLostSilo(Exception exception, string jobId, int shard, int attempt, double seconds);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning,
        Message = "Fuse job {JobId} shard {Shard} attempt {Attempt} of {MaxAttempts} failed")]
    private partial void LogShardAttemptFailed(Exception exception, string jobId, int shard, int attempt, int maxAttempts);
}
