using FreeBind.ServiceDefaults;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

// In the hosting namespace, as Aspire service defaults usually are, so a host needs no extra using.
namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Telemetry, health checks and service discovery that every FreeBind process (silo or client)
/// shares, so the Aspire dashboard and any OTLP collector see them the same way.
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Tag of the liveness check, which passes while the process runs.</summary>
    public const string LiveTag = "live";

    /// <summary>Tag of the readiness checks, which pass once the process has joined its cluster.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Meter of Orleans' runtime metrics.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Activity sources of Orleans' runtime and grain calls.</summary>
    public static readonly IReadOnlyList<string> OrleansActivitySources =
        ["Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"];

    /// <summary>
    /// Adds OpenTelemetry logs, traces and metrics (Orleans, .NET runtime and the <c>FreeBind</c>
    /// meter), exported over OTLP only when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; a
    /// <c>live</c> and a <c>ready</c> health check; service discovery for named HTTP clients; and
    /// a plain-HTTP health endpoint when <c>FREEBIND_HEALTH_PORT</c> is set.
    /// </summary>
    /// <param name="builder">The host builder of a silo or a client.</param>
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.ConfigureOpenTelemetry();

        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<OrleansReadyHealthCheck>("orleans", tags: [ReadyTag]);
        builder.Services.AddHostedService<HealthEndpointService>();

        builder.Services.AddServiceDiscovery();
        builder.Services.ConfigureHttpClientDefaults(http => http.AddServiceDiscovery());
        return builder;
    }

    private static void ConfigureOpenTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddRuntimeInstrumentation()
                .AddMeter(OrleansMeter)
                .AddMeter(FreeBind.Diagnostics.FreeBindMetrics.MeterName))
            .WithTracing(tracing =>
            {
                tracing.SetSampler(new AlwaysOnSampler());
                foreach (var source in OrleansActivitySources)
                {
                    tracing.AddSource(source);
                }
            });

        // The exporter reads its endpoint, headers and protocol from the standard OTEL_EXPORTER_OTLP_*
        // variables, which Aspire sets for each resource; without them nothing is exported.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }
    }
}
