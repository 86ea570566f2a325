namespace FreeBind.Storage;

/// <summary>What every row of one embeddings Parquet file shares, stored as key-value metadata.</summary>
/// <param name="Space">Space name, e.g. <c>imagebind</c>.</param>
/// <param name="Modality">image, text or audio.</param>
/// <param name="Model">Fingerprint of the encoder that made the embeddings.</param>
/// <param name="Dimension">Length of every embedding vector.</param>
/// <param name="FreeBindVersion">
/// Version of the FreeBind build that wrote the file; null when writing means "this build".
/// </param>
/// <param name="Profile">
/// For fused embeddings, the factor profile used; the writer then adds the columns
/// <c>profile</c> and <c>factors</c> (the effective factors as JSON) to every row. Null otherwise.
/// </param>
/// <param name="Factors">For fused embeddings, the effective factors as JSON, e.g. <c>{"c-clap":0.8}</c>.</param>
public sealed record EmbeddingFileMetadata(
    string Space,
    string Modality,
    string Model,
    int Dimension,
    string? FreeBindVersion = null,
    string? Profile = null,
    string? Factors = null)
{
    /// <summary>Metadata key of <see cref="Profile"/>.</summary>
    public const string ProfileKey = "freebind.profile";

    /// <summary>Metadata key of <see cref="Factors"/>.</summary>
    public const string FactorsKey = "freebind.factors";

    /// <summary>Metadata key of <see cref="Dimension"/>.</summary>
    public const string DimensionKey = "freebind.dimension";

    /// <summary>Metadata key of <see cref="Space"/>.</summary>
    public const string SpaceKey = "freebind.space";

    /// <summary>Metadata key of <see cref="Modality"/>.</summary>
    public const string ModalityKey = "freebind.modality";

    /// <summary>Metadata key of <see cref="Model"/>.</summary>
    public const string ModelKey = "freebind.model";

    /// <summary>Metadata key of <see cref="FreeBindVersion"/>.</summary>
    public const string VersionKey = "freebind.version";
}
