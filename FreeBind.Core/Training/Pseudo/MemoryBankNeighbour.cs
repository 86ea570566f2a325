namespace FreeBind.Training.Pseudo;

/// <summary>One memory-bank item retrieved for a query.</summary>
/// <param name="Score">Cosine similarity between the query and the item in the retrieval space.</param>
/// <param name="Id">The item's corpus id; ties in <paramref name="Score"/> are broken by ordinal id order.</param>
/// <param name="Value">
/// The item's embedding in the value space (the other space of the bond). The neighbour owns the
/// array; callers must not change it.
/// </param>
public readonly record struct MemoryBankNeighbour(float Score, string Id, float[] Value);
