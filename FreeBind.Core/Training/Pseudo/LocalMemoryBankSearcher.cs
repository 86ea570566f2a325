using System.Collections.Concurrent;

using FreeBind.Storage;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Searches a memory bank in this process: loads each partition once, on first use, and searches
/// the partitions one after another.
/// </summary>
/// <param name="embeddings">Output root of the embed job the banks read.</param>
public sealed class LocalMemoryBankSearcher(IBlobStore embeddings) : IMemoryBankSearcher
{
    private readonly ConcurrentDictionary<(string Bank, int Partition), Lazy<Task<MemoryBankPartition>>> partitions = new();

    /// <inheritdoc />
    public async Task<MemoryBankNeighbour[][]> SearchAsync(
        MemoryBankPlan bank, ReadOnlyMemory<float> queries, int queryCount, int k, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bank);

        var local = new List<MemoryBankNeighbour[][]>(bank.Partitions.Count);
        foreach (var plan in bank.Partitions)
        {
            var partition = await partitions.GetOrAdd(
                (bank.Key, plan.Index),
                _ => new Lazy<Task<MemoryBankPartition>>(() => MemoryBankPartition.LoadAsync(embeddings, plan, cancellationToken))).Value.ConfigureAwait(false);
            local.Add(partition.Search(queries.Span, queryCount, k));
        }

        return MemoryBankMerge.MergeBatch(local, queryCount, k);
    }
}
