using System.Net;
using System.Net.Sockets;

using FreeBind.Hosting;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

using Orleans.Configuration;

namespace FreeBind.Client;

/// <summary>
/// A connection to a FreeBind cluster: either a silo hosted in this process (the default, no
/// services needed) or a client of a running cluster (<c>--cluster</c>).
/// </summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private static readonly string[] SiloOnlySections = ["Orleans:GrainStorage", "Orleans:Reminders", "Orleans:GrainDirectory"];

    private readonly IHost _host;

    private ClusterConnection(IHost host, bool embedded)
    {
        _host = host;
        Embedded = embedded;
    }

    /// <summary>Grain factory of the connected cluster.</summary>
    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    /// <summary>True when the silo runs inside this process.</summary>
    public bool Embedded { get; }

    /// <summary>Starts an in-process silo on free loopback ports, or connects to a cluster.</summary>
    public static async Task<ClusterConnection> OpenAsync(
        bool cluster, int gatewayPort, LogLevel logLevel, CancellationToken cancellationToken)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
        });
        if (cluster)
        {
            // A client of a cluster reads the silos' environment (clustering, ids). With Orleans
            // 10.4.2 it also fails on silo-only keys such as Orleans:GrainStorage ("Could not find
            // GrainStorage provider named 'AzureTableStorage'"), so those keys stay out.
            var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            builder.Configuration.AddInMemoryCollection(environment.AsEnumerable().Where(p => !IsSiloOnlyKey(p.Key)));
        }
        else
        {
            builder.Configuration.AddEnvironmentVariables();
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Warning ? LogLevel.Warning : logLevel);
        builder.AddServiceDefaults();

        if (cluster)
        {
            // The same keys as the silo: Orleans:Clustering:ProviderType=AzureTableStorage with
            // Orleans:Clustering:ConnectionName and ConnectionStrings:<name>, or ProviderType=Redis
            // with ConnectionString, which Orleans' configuration-based provider registration reads
            // by itself. FreeBind:Tls must match the silos'.
            var settings = FreeBindClusterSettings.Read(builder.Configuration);
            builder.UseOrleansClient(client =>
            {
                if (settings.IsLocalhost)
                {
                    client.UseLocalhostClustering(gatewayPort, settings.ServiceId, settings.ClusterId);
                }

                client.Configure<ClusterOptions>(options =>
                {
                    options.ClusterId = settings.ClusterId;
                    options.ServiceId = settings.ServiceId;
                });

                client.UseFreeBindTls(builder.Configuration);
                client.UseConnectionRetryFilter<ConnectionRetryFilter>();
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(30));
            });
        }
        else
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{FreeBindClusterOptions.SectionName}:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{FreeBindClusterOptions.SectionName}:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            });
            builder.Configuration[$"{FreeBindClusterOptions.SectionName}:PrimarySiloPort"] =
                builder.Configuration[$"{FreeBindClusterOptions.SectionName}:SiloPort"];
            builder.AddFreeBindSilo();
        }

        var host = builder.Build();
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        return new ClusterConnection(host, !cluster);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        _host.Dispose();
    }

    private static bool IsSiloOnlyKey(string key) =>
        SiloOnlySections.Any(section =>
            key.Equals(section, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
