using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Orleans.Runtime.MembershipService.SiloMetadata;

namespace FreeBind.Placement;

/// <summary>
/// Counts the active silos that published <c>gpu=true</c>, as this silo sees the cluster, and
/// creates the <see cref="GpuPlacementGuard"/> of each job.
/// </summary>
public sealed class GpuSiloMonitor(
    IClusterMembershipService membership,
    ISiloMetadataCache metadataCache,
    IOptions<GpuPlacementOptions> options,
    ILoggerFactory loggerFactory)
{
    /// <summary>Returns the number of active silos whose metadata marks them as GPU silos.</summary>
    public int CountActiveGpuSilos() =>
        membership.CurrentSnapshot.Members.Values
            .Count(member => member.Status == SiloStatus.Active && IsGpuSilo(member.SiloAddress));

    /// <summary>Returns true when the silo's metadata marks it as a GPU silo.</summary>
    public bool IsGpuSilo(SiloAddress silo) =>
        metadataCache.GetSiloMetadata(silo).Metadata.TryGetValue(GpuPlacementFilterStrategy.MetadataKey, out var value)
        && string.Equals(value, GpuPlacementFilterStrategy.GpuValue, StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates the guard that applies the <c>FreeBind:Placement</c> policy to one job's shard calls.</summary>
    /// <param name="jobId">Job id, for logs and messages.</param>
    /// <param name="requiresGpu">True when the job started with a GPU silo in the cluster.</param>
    /// <param name="reportWaiting">Receives the waiting message, or null when the job stops waiting.</param>
    public GpuPlacementGuard CreateGuard(string jobId, bool requiresGpu, Action<string?> reportWaiting) =>
        new(jobId, requiresGpu, options.Value, this, reportWaiting, loggerFactory.CreateLogger<GpuPlacementGuard>());
}
