namespace FreeBind.Bonds.Graph;

/// <summary>How a bond fuses its expert spaces into the running space.</summary>
public enum BondKind
{
    /// <summary>
    /// c(E): each expert embedding is projected into the running space and mixed into it; the
    /// running space keeps its dimension and modalities.
    /// </summary>
    Combination,

    /// <summary>
    /// d(E): the running embedding is projected into the expert space and mixed into the expert
    /// embedding. From this bond on, the running space is the expert's.
    /// </summary>
    Displacement,
}
