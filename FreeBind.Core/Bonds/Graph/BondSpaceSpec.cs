using FreeBind.Media;

namespace FreeBind.Bonds.Graph;

/// <summary>A space that a bond file refers to: the base space or an expert space.</summary>
/// <param name="Name">Space name, the key under "spaces".</param>
/// <param name="Dimension">Embedding dimension.</param>
/// <param name="Modalities">Modalities the space embeds.</param>
public sealed record BondSpaceSpec(string Name, int Dimension, IReadOnlySet<Modality> Modalities)
{
    /// <summary>Returns true when the space embeds <paramref name="modality"/>.</summary>
    public bool Covers(Modality modality) => Modalities.Contains(modality);
}
