using FreeBind.Bonds.Graph;

namespace FreeBind.Training.Pseudo;

/// <summary>The two spaces a bond's projectors map between, for one expert of the bond.</summary>
/// <param name="Name">Bond name from the bond file.</param>
/// <param name="Kind">Combination (source = expert, target = unified) or displacement (the reverse).</param>
/// <param name="Unified">
/// The running space at the bond's place in the chain: the base space, or the expert of the last
/// displacement before the bond.
/// </param>
/// <param name="Expert">The expert space whose projectors the dataset trains.</param>
/// <param name="IsParallel">True when the bond has several experts, so output folders name the expert.</param>
public sealed record PseudoBond(string Name, BondKind Kind, BondSpaceSpec Unified, BondSpaceSpec Expert, bool IsParallel = false)
{
    /// <summary>Returns the output folder of <paramref name="mode"/>, relative to the output root.</summary>
    public string Folder(string mode) => PseudoLayout.Folder(Name, IsParallel ? Expert.Name : null, mode);

    /// <summary>The space the projector reads: the expert for a combination, the unified space for a displacement.</summary>
    public BondSpaceSpec Source => Kind == BondKind.Combination ? Expert : Unified;

    /// <summary>The space the projector writes: the unified space for a combination, the expert for a displacement.</summary>
    public BondSpaceSpec Target => Kind == BondKind.Combination ? Unified : Expert;
}
