using Orleans.Placement;

namespace FreeBind.Placement;

/// <summary>Places a grain on GPU silos when the cluster has any (see <see cref="GpuPlacementFilterStrategy"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class GpuPlacementFilterAttribute() : PlacementFilterAttribute(new GpuPlacementFilterStrategy());
