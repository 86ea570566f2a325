namespace FreeBind.Evaluation;

/// <summary>Merges the partial results of gallery partitions into exact ranks and metrics.</summary>
/// <remarks>
/// Ranks are pessimistic on ties: an item that is not correct and has exactly the score of a
/// correct item ranks before it, and correct items with equal scores take consecutive ranks in
/// ordinal id order. The rank of correct item j is therefore
/// 1 + #(items scoring higher) + #(wrong items scoring the same) + #(correct items scoring the same with a smaller id),
/// and the first two counts are sums over partitions, so the merge is exact.
/// </remarks>
public static class RetrievalMerger
{
    /// <summary>Concatenates the per-partition <see cref="RetrievalPartition.ScoreRelevant"/> results per query.</summary>
    public static IReadOnlyList<IReadOnlyList<RankedItem>> MergeRelevant(IReadOnlyList<IReadOnlyList<IReadOnlyList<RankedItem>>> partitions)
    {
        ArgumentNullException.ThrowIfNull(partitions);
        if (partitions.Count == 0)
        {
            throw new ArgumentException("no partitions to merge: the gallery needs at least one partition.", nameof(partitions));
        }

        var queries = partitions[0].Count;
        var merged = new IReadOnlyList<RankedItem>[queries];
        for (var q = 0; q < queries; q++)
        {
            merged[q] = partitions.SelectMany(p => p[q]).OrderBy(item => item.Id, StringComparer.Ordinal).ToList();
        }

        return merged;
    }

    /// <summary>Merges the scans of all partitions into per-query ranks, top-k and metrics.</summary>
    /// <param name="direction">Label such as <c>text-&gt;audio</c>.</param>
    /// <param name="scans">One <see cref="RetrievalPartition.Scan"/> result per partition, each over the same queries and relevant lists.</param>
    /// <param name="k">Top-k length kept in the per-query results.</param>
    /// <param name="gallerySize">Items over all partitions.</param>
    public static RetrievalResult Merge(string direction, IReadOnlyList<IReadOnlyList<QueryScan>> scans, int k, int gallerySize)
    {
        ArgumentNullException.ThrowIfNull(scans);
        if (scans.Count == 0)
        {
            throw new ArgumentException("no partition scans to merge.", nameof(scans));
        }

        var queries = scans[0].Count;
        var perQuery = new QueryResult[queries];
        int evaluated = 0, hits1 = 0, hits5 = 0, hits10 = 0;
        var averagePrecisions = new List<(string QueryId, double Value)>();
        for (var q = 0; q < queries; q++)
        {
            var parts = scans.Select(s => s[q]).ToList();
            var top = parts.SelectMany(p => p.TopK)
                .OrderByDescending(item => item.Score)
                .ThenBy(item => item.Id, StringComparer.Ordinal)
                .Take(k)
                .ToList();
            var ranks = Ranks(parts);
            var ap = AveragePrecision(ranks);
            perQuery[q] = new QueryResult(parts[0].QueryId, top, ranks, ap);
            if (ranks.Count == 0)
            {
                continue;
            }

            evaluated++;
            averagePrecisions.Add((parts[0].QueryId, ap));
            hits1 += ranks[0] <= 1 ? 1 : 0;
            hits5 += ranks[0] <= 5 ? 1 : 0;
            hits10 += ranks[0] <= 10 ? 1 : 0;
        }

        // Summed in query id order so mAP does not depend on the order the queries were read in.
        var apSum = averagePrecisions.OrderBy(a => a.QueryId, StringComparer.Ordinal).Sum(a => a.Value);
        var metrics = new RetrievalMetrics(
            direction,
            evaluated,
            queries - evaluated,
            gallerySize,
            Ratio(hits1, evaluated),
            Ratio(hits5, evaluated),
            Ratio(hits10, evaluated),
            evaluated == 0 ? 0 : apSum / evaluated);
        return new RetrievalResult(metrics, perQuery);
    }

    /// <summary>Returns average precision from the ascending 1-based ranks of all correct items.</summary>
    public static double AveragePrecision(IReadOnlyList<long> ranks)
    {
        if (ranks.Count == 0)
        {
            return 0;
        }

        var sum = 0.0;
        for (var m = 0; m < ranks.Count; m++)
        {
            sum += (m + 1.0) / ranks[m];
        }

        return sum / ranks.Count;
    }

    private static List<long> Ranks(List<QueryScan> parts)
    {
        var relevant = parts[0].Relevant;
        var ranks = new List<long>(relevant.Count);
        for (var r = 0; r < relevant.Count; r++)
        {
            var item = relevant[r];
            long before = 0;
            foreach (var part in parts)
            {
                before += part.Relevant[r].Higher + part.Relevant[r].TiedWrong;
            }

            foreach (var other in relevant)
            {
                if (other.Score == item.Score && string.CompareOrdinal(other.Id, item.Id) < 0)
                {
                    before++;
                }
            }

            ranks.Add(before + 1);
        }

        ranks.Sort();
        return ranks;
    }

    private static double Ratio(int hits, int total) => total == 0 ? 0 : (double)hits / total;
}
