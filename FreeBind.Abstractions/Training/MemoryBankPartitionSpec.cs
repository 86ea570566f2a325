namespace FreeBind.Training.Pseudo;

/// <summary>Wire form of one memory-bank partition: the row ranges a partition grain loads.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.MemoryBankPartitionSpec")]
public sealed record MemoryBankPartitionSpec
{
    /// <summary>Output root of the embed job the bank files live in.</summary>
    [Id(0)] public required string Embeddings { get; init; }

    /// <summary>Partition number, from 0.</summary>
    [Id(1)] public required int Index { get; init; }

    /// <summary>Space the queries and bank items are compared in.</summary>
    [Id(2)] public required string RetrievalSpace { get; init; }

    /// <summary>Space whose embeddings of the retrieved items come back.</summary>
    [Id(3)] public required string ValueSpace { get; init; }

    /// <summary>Bank modality name.</summary>
    [Id(4)] public required string Modality { get; init; }

    /// <summary>Embedding dimension of the retrieval space.</summary>
    [Id(5)] public required int RetrievalDimension { get; init; }

    /// <summary>Embedding dimension of the value space.</summary>
    [Id(6)] public required int ValueDimension { get; init; }

    /// <summary>Retrieval-space file of each range.</summary>
    [Id(7)] public required IReadOnlyList<string> RetrievalPaths { get; init; }

    /// <summary>Value-space file of each range.</summary>
    [Id(8)] public required IReadOnlyList<string> ValuePaths { get; init; }

    /// <summary>First row of each range within its file.</summary>
    [Id(9)] public required IReadOnlyList<long> FirstRows { get; init; }

    /// <summary>Rows of each range.</summary>
    [Id(10)] public required IReadOnlyList<long> RowCounts { get; init; }
}
