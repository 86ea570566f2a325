namespace FreeBind.Training.Pseudo;

/// <summary>Which bond to build pseudo datasets for, from which embeddings, and where to write them.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.PseudoDatasetJobRequest")]
public sealed record PseudoDatasetJobRequest
{
    /// <summary>Bond file text, shipped whole so every silo reads the same spaces.</summary>
    [Id(0)] public required string BondsJson { get; init; }

    /// <summary>Bond to build for.</summary>
    [Id(1)] public required string Bond { get; init; }

    /// <summary>Expert of a parallel bond; null for a bond with one expert.</summary>
    [Id(2)] public string? Expert { get; init; }

    /// <summary>Output root of the embed job (folder or blob URI).</summary>
    [Id(3)] public required string Embeddings { get; init; }

    /// <summary>Output root for the pseudo datasets.</summary>
    [Id(4)] public required string Output { get; init; }

    /// <summary>Data modes: mix, A, T, V, AT, AV, TV.</summary>
    [Id(5)] public required IReadOnlyList<string> Modes { get; init; }

    /// <summary>Neighbours per pseudo embedding.</summary>
    [Id(6)] public int K { get; init; } = 5;

    /// <summary>Softmax temperature over neighbour similarities.</summary>
    [Id(7)] public float Temperature { get; init; } = 0.05f;

    /// <summary>Standard deviation of the Gaussian noise on source embeddings.</summary>
    [Id(8)] public float Noise { get; init; }

    /// <summary>Seed of the noise and the mix sampling.</summary>
    [Id(9)] public int Seed { get; init; }

    /// <summary>Memory bank modality name (image, text or audio).</summary>
    [Id(10)] public string BankModality { get; init; } = "text";

    /// <summary>Bank rows per partition grain.</summary>
    [Id(11)] public int RowsPerPartition { get; init; } = 50_000;

    /// <summary>Queries per search call.</summary>
    [Id(12)] public int QueryBatchSize { get; init; } = 256;

    /// <summary>Rows per output part file.</summary>
    [Id(13)] public int RowsPerPart { get; init; } = 8_192;
}
