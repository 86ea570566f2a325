using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Orleans.Configuration;

namespace FreeBind.Hosting;

/// <summary>Logs the silo's effective cluster settings and GPUs once at start, without secrets.</summary>
internal sealed partial class SiloSettingsReporter(
    FreeBindClusterSettings settings,
    GpuInventory gpus,
    IOptions<EndpointOptions> endpoints,
    IOptions<FreeBindTlsOptions> tls,
    ILogger<SiloSettingsReporter> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var endpoint = endpoints.Value;
        LogSettings(
            settings.ClusterId,
            settings.ServiceId,
            settings.ClusteringProvider,
            string.IsNullOrEmpty(settings.ClusteringConnection) ? "no connection" : $"connection name '{settings.ClusteringConnection}'",
            settings.GrainStorageProvider,
            endpoint.AdvertisedIPAddress?.ToString() ?? "",
            endpoint.SiloPort,
            endpoint.GatewayPort,
            tls.Value.Describe());
        LogGpus(gpus.Ids.Count, gpus.Ids.Count == 0 ? "none" : string.Join(",", gpus.Ids), gpus.Source);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 700, Level = LogLevel.Information,
        Message = "Silo settings: cluster {ClusterId}, service {ServiceId}, clustering {Clustering} ({Connection}), " +
            "grain storage {GrainStorage}, advertised address {Address}, silo port {SiloPort}, gateway port {GatewayPort}, TLS {Tls}")]
    private partial void LogSettings(
        string clusterId, string serviceId, string clustering, string connection, string grainStorage, string address, int siloPort,
        int gatewayPort, string tls);

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Silo GPUs: {Count} ({Ids}); {Source}")]
    private partial void LogGpus(int count, string ids, string source);
}
