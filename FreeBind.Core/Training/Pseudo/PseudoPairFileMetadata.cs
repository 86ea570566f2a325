namespace FreeBind.Training.Pseudo;

/// <summary>What every row of one pseudo-pair Parquet file shares, stored as key-value metadata.</summary>
/// <param name="Bond">Bond name.</param>
/// <param name="SourceSpace">Space of the source embeddings.</param>
/// <param name="TargetSpace">Space of the target embeddings.</param>
/// <param name="SourceDimension">Length of every source embedding.</param>
/// <param name="TargetDimension">Length of every target embedding.</param>
/// <param name="DataMode">Data mode of every row: mix, A, T, V, AT, AV or TV.</param>
public sealed record PseudoPairFileMetadata(
    string Bond, string SourceSpace, string TargetSpace, int SourceDimension, int TargetDimension, string DataMode)
{
    /// <summary>Metadata key of <see cref="Bond"/>.</summary>
    public const string BondKey = "freebind.pseudo.bond";

    /// <summary>Metadata key of <see cref="SourceSpace"/>.</summary>
    public const string SourceSpaceKey = "freebind.pseudo.source_space";

    /// <summary>Metadata key of <see cref="TargetSpace"/>.</summary>
    public const string TargetSpaceKey = "freebind.pseudo.target_space";

    /// <summary>Metadata key of <see cref="SourceDimension"/>.</summary>
    public const string SourceDimensionKey = "freebind.pseudo.source_dimension";

    /// <summary>Metadata key of <see cref="TargetDimension"/>.</summary>
    public const string TargetDimensionKey = "freebind.pseudo.target_dimension";

    /// <summary>Metadata key of <see cref="DataMode"/>.</summary>
    public const string DataModeKey = "freebind.pseudo.data_mode";
}
