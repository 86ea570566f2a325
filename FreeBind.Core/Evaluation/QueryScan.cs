namespace FreeBind.Evaluation;

/// <summary>What one gallery partition returns for one query.</summary>
/// <param name="QueryId">Query id.</param>
/// <param name="TopK">The partition's best items, highest score first, ties by ordinal id.</param>
/// <param name="Relevant">Rank counts for every correct item of the query (from any partition), in the order they were passed.</param>
public sealed record QueryScan(string QueryId, IReadOnlyList<RankedItem> TopK, IReadOnlyList<RelevantCounts> Relevant);
