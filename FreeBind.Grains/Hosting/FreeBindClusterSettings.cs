using Microsoft.Extensions.Configuration;

namespace FreeBind.Hosting;

/// <summary>
/// The cluster settings a silo or client reads from the standard <c>Orleans</c> section, with
/// FreeBind's defaults. Holds names only, never a connection string, so it can be logged.
/// </summary>
public sealed record FreeBindClusterSettings
{
    /// <summary>Cluster and service id used when <c>Orleans:ClusterId</c> / <c>Orleans:ServiceId</c> are not set.</summary>
    public const string DefaultId = "freebind";

    /// <summary>The clustering provider name for Azure Table Storage.</summary>
    public const string AzureTableStorage = "AzureTableStorage";

    /// <summary><c>Orleans:ClusterId</c>; default <see cref="DefaultId"/>.</summary>
    public required string ClusterId { get; init; }

    /// <summary><c>Orleans:ServiceId</c>; default <see cref="DefaultId"/>.</summary>
    public required string ServiceId { get; init; }

    /// <summary><c>Orleans:Clustering:ProviderType</c>, or <c>Localhost</c> when not set.</summary>
    public required string ClusteringProvider { get; init; }

    /// <summary>
    /// Name of the connection the clustering provider uses: <c>Orleans:Clustering:ConnectionName</c>
    /// or <c>Orleans:Clustering:ServiceKey</c>; empty when neither is set.
    /// </summary>
    public required string ClusteringConnection { get; init; }

    /// <summary><c>Orleans:GrainStorage:freebind:ProviderType</c>, or <c>Memory</c> when not set.</summary>
    public required string GrainStorageProvider { get; init; }

    /// <summary><c>Orleans:Endpoints:AdvertisedIPAddress</c>, or empty (Orleans picks one) when not set.</summary>
    public required string AdvertisedIPAddress { get; init; }

    /// <summary>True when <c>Orleans:Clustering:ProviderType</c> names no provider.</summary>
    public bool IsLocalhost => ClusteringProvider == "Localhost";

    /// <summary>Reads the settings from configuration.</summary>
    public static FreeBindClusterSettings Read(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new FreeBindClusterSettings
        {
            ClusterId = NonEmpty(configuration["Orleans:ClusterId"]) ?? DefaultId,
            ServiceId = NonEmpty(configuration["Orleans:ServiceId"]) ?? DefaultId,
            ClusteringProvider = NonEmpty(configuration["Orleans:Clustering:ProviderType"]) ?? "Localhost",
            ClusteringConnection = NonEmpty(configuration["Orleans:Clustering:ConnectionName"])
                ?? NonEmpty(configuration["Orleans:Clustering:ServiceKey"]) ?? "",
            GrainStorageProvider = NonEmpty(configuration[$"Orleans:GrainStorage:{Jobs.FreeBindStorage.StateStorageName}:ProviderType"]) ?? "Memory",
            AdvertisedIPAddress = NonEmpty(configuration["Orleans:Endpoints:AdvertisedIPAddress"]) ?? "",
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
