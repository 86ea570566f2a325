namespace FreeBind.Evaluation;

/// <summary>Runs an exact retrieval in this process, with the gallery split into partitions.</summary>
/// <remarks>
/// The partitions run one after another here; the cluster runs the same two passes on worker
/// grains. Results do not depend on the partition count.
/// </remarks>
public static class RetrievalEvaluator
{
    /// <summary>Top-k length kept per query; R@10 needs at least 10.</summary>
    public const int DefaultTopK = 10;

    /// <summary>Evaluates queries against a gallery.</summary>
    /// <param name="direction">Label such as <c>text-&gt;audio</c>.</param>
    /// <param name="queries">Query embeddings.</param>
    /// <param name="gallery">Gallery embeddings.</param>
    /// <param name="relevant">Correct gallery ids per query, aligned with the query rows.</param>
    /// <param name="partitions">Gallery partitions; 1 for an unsharded run.</param>
    /// <param name="k">Top-k length kept per query.</param>
    /// <param name="cancellationToken">Stops between query blocks.</param>
    public static RetrievalResult Evaluate(
        string direction,
        EmbeddingMatrix queries,
        EmbeddingMatrix gallery,
        IReadOnlyList<IReadOnlyList<string>> relevant,
        int partitions = 1,
        int k = DefaultTopK,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gallery);
        var parts = gallery.Partition(partitions).Select(part => new RetrievalPartition(queries, part, relevant)).ToList();
        var relevantScores = RetrievalMerger.MergeRelevant(parts.Select(p => p.ScoreRelevant()).ToList());
        var scans = parts.Select(p => p.Scan(k, relevantScores, cancellationToken)).ToList();
        return RetrievalMerger.Merge(direction, scans, k, gallery.Count);
    }
}
