using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace FreeBind.Placement;

/// <summary>Applies <see cref="GpuPlacementFilterStrategy"/> using the cluster's silo metadata.</summary>
public sealed class GpuPlacementFilterDirector(ISiloMetadataCache metadataCache) : IPlacementFilterDirector
{
    /// <summary>
    /// Request context key that a caller sets to <c>true</c> when the call must run on a GPU silo;
    /// placement then fails instead of falling back to other silos.
    /// </summary>
    public const string GpuRequiredKey = "freebind.gpu-required";

    /// <inheritdoc />
    public IEnumerable<SiloAddress> Filter(
        PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
    {
        var candidates = silos.ToList();
        var gpuSilos = candidates.Where(IsGpuSilo).ToList();
        if (gpuSilos.Count > 0)
        {
            return gpuSilos;
        }

        if (target.RequestContextData?.TryGetValue(GpuRequiredKey, out var required) == true && required is true)
        {
            throw new OrleansException(
                $"grain {target.GrainIdentity} needs a GPU silo and none of the {candidates.Count} compatible silo(s) " +
                "has gpu=true: start a GPU silo, or set FreeBind:Placement:WhenNoGpuSilo=fallback-cpu.");
        }

        return candidates;
    }

    /// <summary>Returns true when the silo's metadata marks it as a GPU silo.</summary>
    public bool IsGpuSilo(SiloAddress silo) =>
        metadataCache.GetSiloMetadata(silo).Metadata.TryGetValue(GpuPlacementFilterStrategy.MetadataKey, out var value)
        && string.Equals(value, GpuPlacementFilterStrategy.GpuValue, StringComparison.OrdinalIgnoreCase);
}
