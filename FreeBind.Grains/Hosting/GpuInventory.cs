namespace FreeBind.Hosting;

/// <summary>GPUs a silo publishes in its metadata, and how they were found.</summary>
/// <param name="Ids">GPU ids, as <c>nvidia-smi</c> and CUDA number them.</param>
/// <param name="Names">Device names by id, where <c>nvidia-smi</c> reported them.</param>
/// <param name="MemoryMiB">Total memory in MiB by id, where <c>nvidia-smi</c> reported it.</param>
/// <param name="Source">How the list was made: a sentence for the start-up log.</param>
public sealed record GpuInventory(
    IReadOnlyList<int> Ids,
    IReadOnlyDictionary<int, string> Names,
    IReadOnlyDictionary<int, long> MemoryMiB,
    string Source)
{
    /// <summary>An inventory with no GPU.</summary>
    public static GpuInventory None(string source) =>
        new([], new Dictionary<int, string>(), new Dictionary<int, long>(), source);
}
