using System.Net;
using System.Net.Sockets;

using FreeBind.Hosting;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

using Orleans.Configuration;

namespace FreeBind.Client;

/// <summary>
/// A connection to a FreeBind cluster: either a silo hosted in this process (the default, no
/// services needed) or a client of a running cluster (<c>--cluster</c>).
/// </summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    private static readonly string[] SiloOnlySections = ["Orleans:GrainStorage", "Orleans:Reminders", "Orleans:GrainDirectory"];

    private static readonly TimeSpan GatewayProbeTimeout = TimeSpan.FromSeconds(3);

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
        if (logLevel <= LogLevel.Debug)
        {
            builder.Logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
            });
        }
        else
        {
            // Grain failures are logged with their exception. Without a stack trace they stay one
            // line each, next to the command's own one-line error.
            builder.Logging.AddConsole(options => options.FormatterName = CompactConsoleFormatter.FormatterName);
            builder.Logging.AddConsoleFormatter<CompactConsoleFormatter, ConsoleFormatterOptions>();
        }

        builder.Logging.SetMinimumLevel(logLevel);
        builder.Logging.AddFilter("Orleans", logLevel < LogLevel.Warning ? LogLevel.Warning : logLevel);
        if (cluster && logLevel >= LogLevel.Warning)
        {
            // Orleans logs each failed gateway attempt with a stack trace, and the host logs a failed
            // start again. ConnectionRetryFilter logs one line per attempt, and the error thrown
            // below names the gateway and the fix.
            builder.Logging.AddFilter("Orleans.Runtime.Messaging.ConnectionManager", LogLevel.Error);
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        }

        if (!cluster && logLevel >= LogLevel.Warning)
        {
            // The in-process silo's watchdog warns at start-up that its check "has not completed"
            // for as long as the machine has been up, which is unrelated to this run.
            builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error);
        }

        builder.AddServiceDefaults();

        var connectTimeout = ConnectionRetryFilter.DefaultConnectTimeout;
        if (cluster)
        {
            // The same keys as the silo: Orleans:Clustering:ProviderType=AzureTableStorage with
            // Orleans:Clustering:ConnectionName and ConnectionStrings:<name>, or ProviderType=Redis
            // with ConnectionString, which Orleans' configuration-based provider registration reads
            // by itself. FreeBind:Tls must match the silos'.
            var settings = FreeBindClusterSettings.Read(builder.Configuration);

            // An invalid wait fails here, before any connection attempt.
            connectTimeout = ConnectionRetryFilter.ReadConnectTimeout(builder.Configuration);
            if (settings.IsLocalhost)
            {
                await ProbeGatewayAsync(gatewayPort, cancellationToken).ConfigureAwait(false);
            }

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
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OrleansException exception) when (cluster)
        {
            host.Dispose();
            var settings = FreeBindClusterSettings.Read(builder.Configuration);
            throw new ClusterUnavailableException(
                $"no gateway of cluster '{settings.ClusterId}' (clustering {settings.ClusteringProvider}) accepted a " +
                $"connection ({exception.Message.Split('\n')[0].TrimEnd()}): start the silos with the same Orleans__ " +
                "variables (dotnet run --project FreeBind.Silo, or FreeBind.AppHost), or leave out --cluster " +
                "to host a silo in this process. FreeBind__Client__ConnectTimeout sets how long to wait " +
                $"(now {connectTimeout.TotalSeconds:0} s).",
                exception);
        }
        catch (Exception exception) when (cluster && exception is not OperationCanceledException)
        {
            // The clustering provider failed to read its membership table, for example Azure Tables
            // or Redis being unreachable. Orleans raises that as the storage client's own exception.
            host.Dispose();
            var settings = FreeBindClusterSettings.Read(builder.Configuration);
            throw new ClusterUnavailableException(
                $"reading the membership of cluster '{settings.ClusterId}' (clustering {settings.ClusteringProvider}) " +
                $"failed ({DescribeFailure(exception)}): check that the clustering storage is reachable and that the " +
                "Orleans__Clustering__ and ConnectionStrings__ variables match the silos'.",
                exception);
        }

        return new ClusterConnection(host, !cluster);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token).ConfigureAwait(false);
        _host.Dispose();
    }

    /// <summary>
    /// Returns "Type: first line of the message". An AggregateException of repeated tries, as the
    /// Azure SDK raises, is described by its last inner exception and the number of tries.
    /// </summary>
    private static string DescribeFailure(Exception exception)
    {
        var tries = "";
        if (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            tries = $" ({aggregate.InnerExceptions.Count} tries)";
            exception = aggregate.InnerExceptions[^1];
        }

        return $"{exception.GetType().Name}: {exception.Message.Split('\n')[0].TrimEnd()}{tries}";
    }

    private static bool IsSiloOnlyKey(string key) =>
        SiloOnlySections.Any(section =>
            key.Equals(section, StringComparison.OrdinalIgnoreCase)
            || key.StartsWith(section + ":", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Fails in seconds when nothing listens on the localhost gateway port, where the retry filter
    /// would otherwise wait two minutes for a cluster that is not starting.
    /// </summary>
    private static async Task ProbeGatewayAsync(int gatewayPort, CancellationToken cancellationToken)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, gatewayPort);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GatewayProbeTimeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        string reason;
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            return;
        }
        catch (SocketException exception)
        {
            reason = exception.SocketErrorCode == SocketError.ConnectionRefused ? "connection refused" : exception.Message;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            reason = $"no answer within {GatewayProbeTimeout.TotalSeconds:0} s";
        }

        throw new ClusterUnavailableException(
            $"no cluster gateway at {endpoint} ({reason}): start a silo with 'dotnet run --project FreeBind.Silo' " +
            "(gateway port 30000), or check that --gateway names your silo's gateway port; for an AppHost cluster set the " +
            "Orleans__Clustering__ variables that docs/operations.md lists, or leave out --cluster and --gateway to host a silo in this process.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
