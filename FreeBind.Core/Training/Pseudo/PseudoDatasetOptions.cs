using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>Settings of pseudo-pair retrieval and of the output files.</summary>
/// <remarks>The defaults and the reasons for them are described in docs/pseudo-datasets.md.</remarks>
public sealed record PseudoDatasetOptions
{
    /// <summary>Default <see cref="K"/>: 5 neighbours.</summary>
    public const int DefaultK = 5;

    /// <summary>Default <see cref="Temperature"/>: 0.05.</summary>
    public const float DefaultTemperature = 0.05f;

    /// <summary>Default <see cref="Noise"/>: 0 (no noise).</summary>
    public const float DefaultNoise = 0f;

    /// <summary>Default <see cref="Seed"/>.</summary>
    public const int DefaultSeed = 0;

    /// <summary>Default <see cref="BankModality"/>: text.</summary>
    public const Modality DefaultBankModality = Modality.Text;

    /// <summary>Default <see cref="RowsPerPartition"/>: 50,000 bank rows.</summary>
    public const int DefaultRowsPerPartition = 50_000;

    /// <summary>Default <see cref="QueryBatchSize"/>: 256 queries.</summary>
    public const int DefaultQueryBatchSize = 256;

    /// <summary>Default <see cref="RowsPerPart"/>: 8,192 rows.</summary>
    public const int DefaultRowsPerPart = 8_192;

    /// <summary>Number of memory-bank neighbours averaged into a pseudo embedding, at least 1.</summary>
    public int K { get; init; } = DefaultK;

    /// <summary>
    /// Softmax temperature τ over the neighbours' cosine similarities, greater than 0: weights are
    /// exp(similarity / τ), normalised to sum 1.
    /// </summary>
    public float Temperature { get; init; } = DefaultTemperature;

    /// <summary>
    /// Standard deviation σ of the Gaussian noise added to each source embedding before it is
    /// L2-normalised again; 0 or more, 0 adds none.
    /// </summary>
    public float Noise { get; init; } = DefaultNoise;

    /// <summary>Seed of the noise and of the <c>mix</c> sampling; one seed gives identical files.</summary>
    public int Seed { get; init; } = DefaultSeed;

    /// <summary>Modality of the memory bank; both spaces of the bond must embed it.</summary>
    public Modality BankModality { get; init; } = DefaultBankModality;

    /// <summary>
    /// Bank rows one partition loads and searches, at least 1. A partition holds its rows'
    /// embeddings in both spaces in memory: 50,000 rows of 1024 + 512 floats take about 300 MB.
    /// </summary>
    public int RowsPerPartition { get; init; } = DefaultRowsPerPartition;

    /// <summary>Queries sent to the partitions in one search call, at least 1.</summary>
    public int QueryBatchSize { get; init; } = DefaultQueryBatchSize;

    /// <summary>
    /// Rows per output part file, at least 1. Each data mode buffers one part in memory before
    /// writing it, because a blob is written whole.
    /// </summary>
    public int RowsPerPart { get; init; } = DefaultRowsPerPart;

    /// <summary>Throws <see cref="PseudoDatasetException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (K < 1)
        {
            throw new PseudoDatasetException($"k is {K}: use 1 or more neighbours.");
        }

        if (!(Temperature > 0f) || float.IsInfinity(Temperature))
        {
            throw new PseudoDatasetException($"tau is {Temperature}: use a finite temperature greater than 0, e.g. {DefaultTemperature}.");
        }

        if (!(Noise >= 0f) || float.IsInfinity(Noise))
        {
            throw new PseudoDatasetException($"noise is {Noise}: use a finite standard deviation of 0 or more.");
        }

        if (RowsPerPartition < 1 || QueryBatchSize < 1 || RowsPerPart < 1)
        {
            throw new PseudoDatasetException(
                $"rows per partition ({RowsPerPartition}), query batch size ({QueryBatchSize}) and rows per part ({RowsPerPart}) must each be 1 or more.");
        }
    }
}
