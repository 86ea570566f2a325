using FreeBind.Jobs;

using Microsoft.Extensions.Logging;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Coordinates one pseudo-dataset job: runs <see cref="PseudoDatasetBuilder"/> with a searcher
/// that sends each query batch to the bank's partition grains and merges their results exactly.
/// </summary>
/// <remarks>
/// NOTE: progress lives in memory only, and a rerun builds every data mode again; a lost
/// coordinator silo loses the job, not the parts already written.
/// </remarks>
public sealed partial class PseudoDatasetJobGrain(JobStorage storage, ILoggerFactory loggerFactory, ILogger<PseudoDatasetJobGrain> logger)
    : Grain, IPseudoDatasetJobGrain
{
    private EmbeddingJobStatus _status = new();
    private Task? _run;

    /// <inheritdoc />
    public async Task<EmbeddingJobStatus> StartAsync(PseudoDatasetJobRequest request, CancellationToken cancellationToken)
    {
        if (_run is not null)
        {
            return _status;
        }

        var (bond, modes, options) = PseudoDatasetRequests.Resolve(request);
        var jobId = this.GetPrimaryKeyString();
        _status = new EmbeddingJobStatus
        {
            JobId = jobId,
            State = EmbeddingJobState.Running,
            StartedAt = DateTimeOffset.UtcNow,
            Input = request.Embeddings,
            Output = request.Output,
            Fingerprint = $"pseudo:{bond.Name}:{bond.Expert.Name}",
        };
        await GrainFactory.GetGrain<IJobRegistryGrain>(0).RegisterAsync(jobId, JobKinds.Pseudo, cancellationToken);
        LogJobStarted(jobId, bond.Name, string.Join(",", modes.Select(m => m.Name)));

        var searcher = new MemoryBankGrainSearcher(GrainFactory, jobId, request.Embeddings);
        var builder = new PseudoDatasetBuilder(
            storage.OpenOutput(request.Embeddings),
            storage.OpenOutput(request.Output),
            searcher,
            loggerFactory.CreateLogger<PseudoDatasetBuilder>());
        this.DelayDeactivation(TimeSpan.FromDays(7));
        _run = RunAsync(builder, searcher, bond, modes, options);
        return _status;
    }

    /// <inheritdoc />
    public Task<EmbeddingJobStatus> GetStatusAsync(CancellationToken cancellationToken) => Task.FromResult(Volatile.Read(ref _status));

    private async Task RunAsync(
        PseudoDatasetBuilder builder, MemoryBankGrainSearcher searcher, PseudoBond bond, IReadOnlyList<PseudoDataMode> modes, PseudoDatasetOptions options)
    {
        try
        {
            // The builder reads Parquet and computes pairs; it runs on the thread pool so this
            // activation stays free to serve status calls.
            var manifests = await Task.Run(() => builder.BuildAsync(
                bond,
                modes,
                options,
                queries => Volatile.Write(ref _status, Volatile.Read(ref _status) with { EntriesDone = queries, EntriesPlanned = queries }),
                CancellationToken.None));
            Volatile.Write(ref _status, _status with
            {
                State = EmbeddingJobState.Completed,
                CompletedAt = DateTimeOffset.UtcNow,
                PlanningDone = true,
                Embeddings = manifests.Sum(m => m.Rows),
            });
            LogJobFinished(this.GetPrimaryKeyString(), _status.Embeddings);
        }
        catch (Exception exception)
        {
            LogJobFailed(exception, this.GetPrimaryKeyString());
            Volatile.Write(ref _status, _status with
            {
                State = EmbeddingJobState.Failed,
                FailureReason = exception.Message.Split('\n')[0],
                CompletedAt = DateTimeOffset.UtcNow,
            });
        }
        finally
        {
            try
            {
                await searcher.ReleaseAsync();
            }
            catch (Exception exception)
            {
                LogReleaseFailed(exception, this.GetPrimaryKeyString());
            }

            this.DelayDeactivation(TimeSpan.FromMinutes(10));
        }
    }

    [LoggerMessage(EventId = 1220, Level = LogLevel.Information, Message = "Pseudo dataset job {JobId} started: bond {Bond}, modes {Modes}")]
    private partial void LogJobStarted(string jobId, string bond, string modes);

    [LoggerMessage(EventId = 1221, Level = LogLevel.Information, Message = "Pseudo dataset job {JobId} completed: {Rows} rows")]
    private partial void LogJobFinished(string jobId, long rows);

    [LoggerMessage(EventId = 1222, Level = LogLevel.Error, Message = "Pseudo dataset job {JobId} failed")]
    private partial void LogJobFailed(Exception exception, string jobId);

    [LoggerMessage(EventId = 1223, Level = LogLevel.Warning, Message = "Pseudo dataset job {JobId} could not release its bank partitions; they deactivate when idle")]
    private partial void LogReleaseFailed(Exception exception, string jobId);
}
