using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>One partition of a memory bank: a contiguous row range over the bank's files in path order.</summary>
/// <param name="Index">Partition number, from 0.</param>
/// <param name="RetrievalSpace">Space the queries and bank items are compared in.</param>
/// <param name="ValueSpace">Space whose embeddings of the retrieved items make the pseudo embedding.</param>
/// <param name="Modality">Bank modality.</param>
/// <param name="RetrievalDimension">Embedding dimension of <paramref name="RetrievalSpace"/>.</param>
/// <param name="ValueDimension">Embedding dimension of <paramref name="ValueSpace"/>.</param>
/// <param name="Files">The row ranges the partition owns.</param>
public sealed record MemoryBankPartitionPlan(
    int Index,
    string RetrievalSpace,
    string ValueSpace,
    Modality Modality,
    int RetrievalDimension,
    int ValueDimension,
    IReadOnlyList<MemoryBankFileRange> Files)
{
    /// <summary>Rows the partition owns, before items without a value embedding are dropped.</summary>
    public long RowCount => Files.Sum(file => file.RowCount);
}
