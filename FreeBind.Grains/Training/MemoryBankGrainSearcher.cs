namespace FreeBind.Training.Pseudo;

/// <summary>Sends each search to every partition grain of the bank at once and merges their local top-k lists.</summary>
/// <param name="grains">Grain factory of the silo running the job.</param>
/// <param name="jobId">Job id, the first part of every partition grain's key.</param>
/// <param name="embeddings">Output root of the embed job.</param>
internal sealed class MemoryBankGrainSearcher(IGrainFactory grains, string jobId, string embeddings) : IMemoryBankSearcher
{
    private readonly HashSet<string> used = [];

    /// <inheritdoc />
    public async Task<MemoryBankNeighbour[][]> SearchAsync(
        MemoryBankPlan bank, ReadOnlyMemory<float> queries, int queryCount, int k, CancellationToken cancellationToken)
    {
        var array = queries.ToArray();
        var calls = bank.Partitions.Select(plan =>
        {
            var key = $"{jobId}/{bank.Key}/{plan.Index}";
            lock (used)
            {
                used.Add(key);
            }

            return grains.GetGrain<IMemoryBankPartitionGrain>(key)
                .SearchAsync(MemoryBankSpecs.ToSpec(plan, embeddings), array, queryCount, k, cancellationToken);
        }).ToList();
        var results = await Task.WhenAll(calls);
        return MemoryBankMerge.MergeBatch(results.Select(MemoryBankSpecs.FromResult).ToList(), queryCount, k);
    }

    /// <summary>Releases every partition grain this searcher called, so their rows leave memory.</summary>
    public async Task ReleaseAsync()
    {
        List<string> keys;
        lock (used)
        {
            keys = used.ToList();
        }

        await Task.WhenAll(keys.Select(key => grains.GetGrain<IMemoryBankPartitionGrain>(key).ReleaseAsync()));
    }
}
