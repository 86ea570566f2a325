using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>A memory bank split into partitions: bank items of one modality, searched in one space, valued in another.</summary>
/// <param name="RetrievalSpace">Space the queries and bank items are compared in.</param>
/// <param name="ValueSpace">Space whose embeddings of the retrieved items make the pseudo embedding.</param>
/// <param name="Modality">Bank modality.</param>
/// <param name="Partitions">Partitions in row order; together they cover every bank row once.</param>
public sealed record MemoryBankPlan(
    string RetrievalSpace, string ValueSpace, Modality Modality, IReadOnlyList<MemoryBankPartitionPlan> Partitions)
{
    /// <summary>Bank rows in the retrieval space.</summary>
    public long RowCount => Partitions.Sum(partition => partition.RowCount);

    /// <summary>A short key, e.g. <c>imagebind-clap-text</c>, that names the bank in grain keys and logs.</summary>
    public string Key => $"{RetrievalSpace}-{ValueSpace}-{Modality.ToName()}";
}
