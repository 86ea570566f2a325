namespace FreeBind.Evaluation;

/// <summary>A gallery item and its score for one query.</summary>
/// <param name="Id">Gallery item id.</param>
/// <param name="Score">Dot product with the query (cosine for L2-normalised embeddings).</param>
public sealed record RankedItem(string Id, float Score);
