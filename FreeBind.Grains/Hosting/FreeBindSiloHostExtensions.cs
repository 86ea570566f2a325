using System.Net;

using FreeBind.Jobs;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Orleans.Configuration;

namespace FreeBind.Hosting;

/// <summary>Configures a complete FreeBind silo on a host builder.</summary>
public static class FreeBindSiloHostExtensions
{
    /// <summary>
    /// Adds an Orleans silo with FreeBind's services. Clustering and grain storage come from the
    /// standard <c>Orleans</c> configuration section when it names providers (for example
    /// <c>Orleans:Clustering:ProviderType=AzureTableStorage</c> with
    /// <c>Orleans:Clustering:ConnectionName</c>); otherwise the silo uses localhost clustering
    /// on the <see cref="FreeBindClusterOptions"/> ports and in-memory state.
    /// </summary>
    /// <remarks>
    /// Cluster and service ids default to <see cref="FreeBindClusterSettings.DefaultId"/>. The
    /// silo publishes its GPUs (see <see cref="GpuDiscovery"/>) as metadata next to the
    /// <c>Orleans:Metadata</c> section, logs its effective settings at start, and re-activates
    /// running jobs at <see cref="FreeBindSiloOptions.JobKeeperInterval"/>. It uses TLS when
    /// <c>FreeBind:Tls</c> names a certificate (see <see cref="FreeBindTlsOptions"/>).
    /// </remarks>
    public static IHostApplicationBuilder AddFreeBindSilo(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var configuration = builder.Configuration;
        var settings = FreeBindClusterSettings.Read(configuration);
        var siloOptions = ReadSiloOptions(configuration);
        var gpus = GpuDiscovery.Discover(siloOptions);
        var metadata = BuildMetadata(configuration, gpus);

        builder.UseOrleans(silo =>
        {
            if (settings.IsLocalhost)
            {
                var cluster = configuration.GetSection(FreeBindClusterOptions.SectionName).Get<FreeBindClusterOptions>()
                    ?? new FreeBindClusterOptions();
                silo.UseLocalhostClustering(
                    cluster.SiloPort,
                    cluster.GatewayPort,
                    new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort),
                    settings.ServiceId,
                    settings.ClusterId);
            }
            else
            {
                silo.Configure<EndpointOptions>(options => ApplyEndpoints(configuration, options));
            }

            silo.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = settings.ClusterId;
                options.ServiceId = settings.ServiceId;
            });

            if (settings.GrainStorageProvider == "Memory")
            {
                silo.AddMemoryGrainStorage(FreeBindStorage.StateStorageName);
            }

            silo.AddFreeBind(configuration, metadata);
            silo.UseFreeBindTls(configuration);
        });

        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(gpus);
        builder.Services.AddOptions<FreeBindSiloOptions>().Configure(options =>
        {
            options.Role = siloOptions.Role;
            options.Gpus = siloOptions.Gpus;
            options.JobKeeperInterval = siloOptions.JobKeeperInterval;
        });
        builder.Services.AddOptions<FreeBindTlsOptions>().Bind(configuration.GetSection(FreeBindTlsOptions.SectionName));
        builder.Services.AddHostedService<SiloSettingsReporter>();
        builder.Services.AddHostedService<RunningJobKeeper>();
        return builder;
    }

    private static FreeBindSiloOptions ReadSiloOptions(IConfiguration configuration)
    {
        var options = configuration.GetSection(FreeBindSiloOptions.SectionName).Get<FreeBindSiloOptions>()
            ?? new FreeBindSiloOptions();

        // Binding skips empty strings, but an empty Gpus means "no GPU", unlike a missing one.
        options.Gpus = configuration[$"{FreeBindSiloOptions.SectionName}:Gpus"] ?? configuration["gpus"];
        if (options.JobKeeperInterval < TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"FreeBind:Silo:JobKeeperInterval '{options.JobKeeperInterval}' is negative: use a positive interval such as 00:00:30, or 0 to turn it off.");
        }

        return options;
    }

    private static Dictionary<string, string> BuildMetadata(IConfiguration configuration, GpuInventory gpus)
    {
        var metadata = new Dictionary<string, string>();
        foreach (var entry in configuration.GetSection("Orleans:Metadata").GetChildren())
        {
            if (entry.Value is not null)
            {
                metadata[entry.Key] = entry.Value;
            }
        }

        // Discovery, the cpu role or --gpus decides the gpu keys. Orleans:Metadata:gpu=true still
        // marks a silo as GPU when discovery finds none, unless the role is cpu or --gpus is set.
        var explicitGpu = metadata.TryGetValue("gpu", out var configured)
            && string.Equals(configured, "true", StringComparison.OrdinalIgnoreCase)
            && gpus.Source.StartsWith("no GPU", StringComparison.Ordinal);
        foreach (var (key, value) in GpuDiscovery.ToMetadata(gpus))
        {
            metadata[key] = value;
        }

        if (explicitGpu)
        {
            metadata["gpu"] = "true";
        }

        return metadata;
    }

    private static void ApplyEndpoints(IConfiguration configuration, EndpointOptions options)
    {
        var section = configuration.GetSection("Orleans:Endpoints");
        if (section["AdvertisedIPAddress"] is { Length: > 0 } address)
        {
            options.AdvertisedIPAddress = IPAddress.TryParse(address, out var ip)
                ? ip
                : throw new InvalidOperationException(
                    $"Orleans:Endpoints:AdvertisedIPAddress '{address}' is not an IP address: use the address other silos reach this one at, such as 10.0.0.5.");
        }

        options.SiloPort = section.GetValue("SiloPort", options.SiloPort);
        options.GatewayPort = section.GetValue("GatewayPort", options.GatewayPort);
    }
}
