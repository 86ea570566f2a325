namespace FreeBind.Hosting;

/// <summary>
/// What this silo offers the cluster. Bound from <c>FreeBind:Silo</c>; the command line
/// switch <c>--gpus 0,1</c> sets <see cref="Gpus"/> too.
/// </summary>
public sealed class FreeBindSiloOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "FreeBind:Silo";

    /// <summary>Value of <see cref="Role"/> for a silo that never publishes <c>gpu=true</c>.</summary>
    public const string CpuRole = "cpu";

    /// <summary>
    /// Silo role: <c>cpu</c> keeps GPU-pinned encoders off this silo even when it has a GPU;
    /// empty or <c>auto</c> (the default) publishes the GPUs found at start.
    /// </summary>
    public string? Role { get; set; }

    /// <summary>
    /// GPU ids this silo offers, comma-separated (for example <c>0,1</c>); an empty string means
    /// none. Null (the default) asks <c>nvidia-smi</c> at start.
    /// </summary>
    public string? Gpus { get; set; }

    /// <summary>
    /// How often the silo re-activates jobs that are still running, so a job whose coordinator
    /// died with its silo resumes without a client call. Default 30 s; zero turns it off.
    /// </summary>
    public TimeSpan JobKeeperInterval { get; set; } = TimeSpan.FromSeconds(30);
}
