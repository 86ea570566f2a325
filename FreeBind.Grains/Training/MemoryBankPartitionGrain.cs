using FreeBind.Jobs;

using Microsoft.Extensions.Logging;

namespace FreeBind.Training.Pseudo;

/// <summary>Holds one memory-bank partition in memory and searches it; placed on any silo, so partitions spread over the cluster.</summary>
public sealed partial class MemoryBankPartitionGrain(JobStorage storage, ILogger<MemoryBankPartitionGrain> logger)
    : Grain, IMemoryBankPartitionGrain
{
    private Task<MemoryBankPartition>? _partition;

    /// <inheritdoc />
    public async Task<MemoryBankSearchResult> SearchAsync(
        MemoryBankPartitionSpec partition, float[] queries, int queryCount, int k, CancellationToken cancellationToken)
    {
        if (_partition is null || _partition.IsFaulted || _partition.IsCanceled)
        {
            _partition = LoadAsync(partition);
        }

        var loaded = await _partition;
        return await Task.Run(
            () => MemoryBankSpecs.ToResult(loaded.Search(queries, queryCount, k), loaded.Plan.ValueDimension),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task ReleaseAsync(CancellationToken cancellationToken)
    {
        _partition = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private Task<MemoryBankPartition> LoadAsync(MemoryBankPartitionSpec spec) =>
        Task.Run(async () =>
        {
            var plan = MemoryBankSpecs.ToPlan(spec);
            var partition = await MemoryBankPartition.LoadAsync(storage.OpenOutput(spec.Embeddings), plan, CancellationToken.None);
            LogLoaded(this.GetPrimaryKeyString(), partition.Count, partition.DroppedRows);
            return partition;
        });

    [LoggerMessage(EventId = 1210, Level = LogLevel.Information,
        Message = "Memory bank partition {Partition} loaded {Rows} rows ({Dropped} dropped without a finite counterpart)")]
    private partial void LogLoaded(string partition, int rows, long dropped);
}
