namespace FreeBind.Storage;

/// <summary>One embedding as written to Parquet.</summary>
/// <param name="Id">Corpus entry id.</param>
/// <param name="Modality">image, text or audio.</param>
/// <param name="Space">Space name from the spaces file, e.g. <c>imagebind</c>.</param>
/// <param name="Model">Fingerprint of the encoder (model file hash and recipe).</param>
/// <param name="Embedding">L2-normalised vector of the space's declared dimension.</param>
/// <param name="Source">Where the input came from (relative path, blob URI, tar member).</param>
public sealed record EmbeddingRow(string Id, string Modality, string Space, string Model, float[] Embedding, string Source);
