namespace FreeBind.Evaluation;

/// <summary>
/// For one correct item of one query, how many gallery items of a partition rank before it.
/// Summed over partitions these give the item's exact rank in the whole gallery.
/// </summary>
/// <param name="Id">The correct item's id.</param>
/// <param name="Score">Its score for the query.</param>
/// <param name="Higher">Items with a strictly higher score (correct or not).</param>
/// <param name="TiedWrong">Items that are not correct for the query and have exactly the same score.</param>
public sealed record RelevantCounts(string Id, float Score, long Higher, long TiedWrong);
