using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace FreeBind.Placement;

/// <summary>Applies <see cref="GpuPlacementFilterStrategy"/> using the cluster's silo metadata.</summary>
public sealed class GpuPlacementFilterDirector(ISiloMetadataCache metadataCache) : IPlacementFilterDirector
{
    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(
        PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var gpuSilos = candidates.Where(IsGpuSilo).ToList();
        return gpuSilos.Count > 0 ? gpuSilos : candidates;
    }

    /// <summary>Returns true when the silo's metadata marks it as a GPU silo.</summary>
    public bool IsGpuSilo(SiloAddress silo) =>
        metadataCache.GetSiloMetadata(silo).Metadata.TryGetValue(GpuPlacementFilterStrategy.MetadataKey, out var value)
        && string.Equals(value, GpuPlacementFilterStrategy.GpuValue, StringComparison.OrdinalIgnoreCase);
}
