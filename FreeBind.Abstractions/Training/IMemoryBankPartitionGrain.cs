namespace FreeBind.Training.Pseudo;

/// <summary>
/// One memory-bank partition of a pseudo-dataset job, keyed <c>&lt;job&gt;/&lt;bank&gt;/&lt;index&gt;</c>.
/// It loads its row range on the first search and keeps it until released.
/// </summary>
[Alias("FreeBind.IMemoryBankPartitionGrain")]
public interface IMemoryBankPartitionGrain : IGrainWithStringKey
{
    /// <summary>Returns each query's exact local top-k.</summary>
    /// <param name="partition">The partition's row ranges; the same on every call to one grain.</param>
    /// <param name="queries">Query embeddings in the retrieval space, row-major.</param>
    /// <param name="queryCount">Number of queries.</param>
    /// <param name="k">Neighbours per query.</param>
    /// <param name="cancellationToken">Cancels the search.</param>
    [Alias("SearchAsync")]
    Task<MemoryBankSearchResult> SearchAsync(
        MemoryBankPartitionSpec partition, float[] queries, int queryCount, int k, CancellationToken cancellationToken = default);

    /// <summary>Drops the loaded rows and deactivates the grain.</summary>
    [Alias("ReleaseAsync")]
    Task ReleaseAsync(CancellationToken cancellationToken = default);
}
