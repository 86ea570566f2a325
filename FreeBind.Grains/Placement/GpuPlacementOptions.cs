namespace FreeBind.Placement;

/// <summary>
/// What a job does when it needs a GPU silo and the cluster has none. Bound from
/// <c>FreeBind:Placement</c> on silos; the silo that hosts a job's coordinator decides.
/// </summary>
/// <remarks>
/// A job needs a GPU silo when at least one active silo published <c>gpu=true</c> when the job
/// started. Jobs started in a cluster without GPU silos run on any silo and never wait.
/// </remarks>
public sealed class GpuPlacementOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "FreeBind:Placement";

    /// <summary>Policy value: keep shards pending until a GPU silo joins.</summary>
    public const string Wait = "wait";

    /// <summary>Policy value: embed shards on any silo, with one warning per job.</summary>
    public const string FallbackCpu = "fallback-cpu";

    /// <summary>
    /// <see cref="Wait"/> (the default) or <see cref="FallbackCpu"/>: what a job that needs a GPU
    /// silo does when none is active.
    /// </summary>
    public string WhenNoGpuSilo { get; set; } = Wait;

    /// <summary>
    /// How long a job waits for a GPU silo under <see cref="Wait"/> before it fails. Default
    /// 10 minutes; must be positive.
    /// </summary>
    public TimeSpan GpuWaitTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>True when the policy is <see cref="FallbackCpu"/>.</summary>
    public bool FallsBackToCpu => string.Equals(WhenNoGpuSilo, FallbackCpu, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <see cref="WhenNoGpuSilo"/> is one of the two policies.</summary>
    public bool IsValidPolicy =>
        string.Equals(WhenNoGpuSilo, Wait, StringComparison.OrdinalIgnoreCase) || FallsBackToCpu;
}
