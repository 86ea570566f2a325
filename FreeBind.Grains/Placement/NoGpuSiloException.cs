namespace FreeBind.Placement;

/// <summary>
/// Thrown when a job that needs a GPU silo waited <see cref="GpuPlacementOptions.GpuWaitTimeout"/>
/// and none joined. It fails the job; shard retries do not catch it.
/// </summary>
public sealed class NoGpuSiloException(string message) : Exception(message);
