namespace FreeBind.Evaluation;

/// <summary>The merged result of one query.</summary>
/// <param name="QueryId">Query id.</param>
/// <param name="TopK">Best gallery items over all partitions, highest score first, ties by ordinal id.</param>
/// <param name="Ranks">1-based rank of every correct item in the whole gallery, ascending, with pessimistic ties.</param>
/// <param name="AveragePrecision">Average precision over the correct items; 0 when there are none.</param>
public sealed record QueryResult(string QueryId, IReadOnlyList<RankedItem> TopK, IReadOnlyList<long> Ranks, double AveragePrecision);
