namespace FreeBind.Bonds.Checkpoints;

/// <summary>A class or function that a pickle names with GLOBAL; the reader never imports or runs it.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => Module + "." + Name;
}
