namespace FreeBind.Training.Pseudo;

/// <summary>A contiguous row range of one bank file, with the file that holds the same items in the value space.</summary>
/// <param name="RetrievalPath">Embeddings Parquet path in the retrieval space, relative to the embeddings root.</param>
/// <param name="ValuePath">Same-named shard file in the value space.</param>
/// <param name="FirstRow">First row of the range within the file.</param>
/// <param name="RowCount">Rows in the range.</param>
public sealed record MemoryBankFileRange(string RetrievalPath, string ValuePath, long FirstRow, long RowCount);
