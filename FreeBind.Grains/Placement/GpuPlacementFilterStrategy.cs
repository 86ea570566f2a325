using Orleans.Placement;

namespace FreeBind.Placement;

/// <summary>
/// Placement filter that keeps only silos whose metadata has <c>gpu=true</c> when the cluster
/// has any such silo, and every silo otherwise.
/// </summary>
/// <remarks>
/// Orleans' RequiredMatchSiloMetadataPlacementFilter compares candidates with the metadata of
/// the silo doing the placement, so it cannot pin a grain to GPU silos. This filter compares
/// with a fixed key and value instead.
/// </remarks>
public sealed class GpuPlacementFilterStrategy() : PlacementFilterStrategy(order: 0)
{
    /// <summary>Silo metadata key that marks a GPU silo.</summary>
    public const string MetadataKey = "gpu";

    /// <summary>Value of <see cref="MetadataKey"/> on a GPU silo.</summary>
    public const string GpuValue = "true";
}
