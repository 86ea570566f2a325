namespace FreeBind.Training.Pseudo;

/// <summary>Runs exact top-k searches over every partition of a memory bank and merges the results.</summary>
/// <remarks>
/// <see cref="LocalMemoryBankSearcher"/> searches partitions in this process; the cluster job
/// sends each partition's search to a grain. Both merge with <see cref="MemoryBankMerge"/>, so
/// they return the same neighbours.
/// </remarks>
public interface IMemoryBankSearcher
{
    /// <summary>Finds each query's top-k bank items.</summary>
    /// <param name="bank">The bank to search.</param>
    /// <param name="queries">Query embeddings in the bank's retrieval space, row-major.</param>
    /// <param name="queryCount">Number of queries.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    /// <returns>Per query, up to <paramref name="k"/> neighbours, best first.</returns>
    Task<MemoryBankNeighbour[][]> SearchAsync(
        MemoryBankPlan bank, ReadOnlyMemory<float> queries, int queryCount, int k, CancellationToken cancellationToken);
}
