namespace FreeBind.Pipeline;

/// <summary>What a fuse job writes: one fused space under one profile, for several modalities.</summary>
/// <param name="Space">Fused space name, written to the <c>space</c> column.</param>
/// <param name="Profile">Factor profile name, written to the <c>profile</c> column.</param>
/// <param name="Fingerprint">Hash of the bond file, projectors and effective factors; resumed shards must match it.</param>
/// <param name="Modalities">One compiled plan per fused modality.</param>
public sealed record FusionTarget(string Space, string Profile, string Fingerprint, IReadOnlyList<FusionModality> Modalities)
{
    /// <summary>Folder name of this space and profile under the output root's <c>embeddings/</c> and <c>fuse/</c>.</summary>
    public string FolderName => $"{Space}.{Profile}";
}
