namespace FreeBind.Hosting;

/// <summary>
/// Cluster settings used when the standard <c>Orleans:Clustering</c> section names no provider.
/// Bound from <c>FreeBind:Cluster</c>.
/// </summary>
public sealed class FreeBindClusterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "FreeBind:Cluster";

    /// <summary>Silo-to-silo port for localhost clustering. Default 11111.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Client gateway port for localhost clustering. Default 30000.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Silo port of the primary silo other localhost silos join through. Default 11111.</summary>
    public int PrimarySiloPort { get; set; } = 11111;
}
