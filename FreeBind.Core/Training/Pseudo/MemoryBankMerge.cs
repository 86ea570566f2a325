namespace FreeBind.Training.Pseudo;

/// <summary>
/// Merges the local top-k lists of bank partitions into the global top-k. The order is total
/// (score descending, then id in ordinal order), so the result does not depend on how the bank
/// was partitioned.
/// </summary>
public static class MemoryBankMerge
{
    /// <summary>Orders neighbours best first: higher score, then smaller ordinal id.</summary>
    public static int Compare(MemoryBankNeighbour left, MemoryBankNeighbour right)
    {
        var byScore = right.Score.CompareTo(left.Score);
        return byScore != 0 ? byScore : string.CompareOrdinal(left.Id, right.Id);
    }

    /// <summary>Merges one query's local top-k lists into its global top-k, best first.</summary>
    /// <param name="partitions">Each partition's local top-k for the query.</param>
    /// <param name="k">Neighbours to keep.</param>
    public static MemoryBankNeighbour[] Merge(IEnumerable<IReadOnlyList<MemoryBankNeighbour>> partitions, int k)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);

        var all = partitions.SelectMany(list => list).ToList();
        all.Sort(Compare);
        return all.Take(k).ToArray();
    }

    /// <summary>Merges the results of every partition for a batch of queries.</summary>
    /// <param name="partitions">Per partition, per query, the local top-k.</param>
    /// <param name="queryCount">Queries in the batch.</param>
    /// <param name="k">Neighbours to keep per query.</param>
    public static MemoryBankNeighbour[][] MergeBatch(IReadOnlyList<MemoryBankNeighbour[][]> partitions, int queryCount, int k)
    {
        ArgumentNullException.ThrowIfNull(partitions);

        var merged = new MemoryBankNeighbour[queryCount][];
        for (var query = 0; query < queryCount; query++)
        {
            merged[query] = Merge(partitions.Select(partition => (IReadOnlyList<MemoryBankNeighbour>)partition[query]), k);
        }

        return merged;
    }
}
