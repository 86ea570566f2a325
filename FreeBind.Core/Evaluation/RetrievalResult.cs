namespace FreeBind.Evaluation;

/// <summary>Metrics of one retrieval direction and the per-query results they came from.</summary>
/// <param name="Metrics">Aggregated metrics.</param>
/// <param name="PerQuery">One result per query, in query order, skipped queries included (with no ranks).</param>
public sealed record RetrievalResult(RetrievalMetrics Metrics, IReadOnlyList<QueryResult> PerQuery);
