using System.Globalization;
using System.Net;
using System.Text;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FreeBind.ServiceDefaults;

/// <summary>
/// Serves <c>/health</c> (every check) and <c>/alive</c> (checks tagged <c>live</c>) over plain
/// HTTP on loopback, port <c>FREEBIND_HEALTH_PORT</c>, so an orchestrator can probe a process
/// that is not a web application. Does nothing when the variable is unset.
/// </summary>
/// <remarks>
/// Returns 200 with <c>Healthy</c> or 503 with the status and the failing checks' descriptions.
/// It never writes exception details, which could carry connection strings.
/// </remarks>
public sealed partial class HealthEndpointService(
    HealthCheckService healthChecks, IConfiguration configuration, ILogger<HealthEndpointService> logger)
    : BackgroundService
{
    /// <summary>Configuration key (an environment variable) of the health port.</summary>
    public const string PortVariable = "FREEBIND_HEALTH_PORT";

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var portText = configuration[PortVariable];
        if (string.IsNullOrWhiteSpace(portText))
        {
            return;
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException(
                $"{PortVariable} is '{portText}', which is not a TCP port; set it to a number from 1 to 65535 or unset it.");
        }

        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Prefixes.Add($"http://localhost:{port}/");
        listener.Start();
        LogListening(port);
        await using var registration = stoppingToken.Register(listener.Stop);

        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
            {
                // Stop() ends a pending GetContextAsync this way when the host shuts down.
                break;
            }

            try
            {
                await RespondAsync(context, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
            {
                // A prober that gave up before the checks finished closes its connection. The next
                // probe gets a fresh response, so one lost response must not stop the process.
                LogResponseFailed(context.Request.Url?.AbsolutePath, exception.Message);
            }
        }
    }

    private async Task RespondAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        using var response = context.Response;
        var path = context.Request.Url?.AbsolutePath ?? "/";
        Func<HealthCheckRegistration, bool>? predicate = path switch
        {
            "/health" => _ => true,
            "/alive" => registration => registration.Tags.Contains(Microsoft.Extensions.Hosting.ServiceDefaultsExtensions.LiveTag),
            _ => null,
        };
        if (predicate is null)
        {
            response.StatusCode = (int)HttpStatusCode.NotFound;
            return;
        }

        var report = await healthChecks.CheckHealthAsync(predicate, cancellationToken).ConfigureAwait(false);
        var text = new StringBuilder(report.Status.ToString());
        foreach (var (name, entry) in report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy))
        {
            text.Append('\n').Append(name).Append(": ").Append(entry.Status).Append(' ').Append(entry.Description);
        }

        response.StatusCode = report.Status == HealthStatus.Unhealthy
            ? (int)HttpStatusCode.ServiceUnavailable
            : (int)HttpStatusCode.OK;
        response.ContentType = "text/plain; charset=utf-8";
        var body = Encoding.UTF8.GetBytes(text.ToString());
        await response.OutputStream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 900, Level = LogLevel.Information,
        Message = "Health endpoints /health and /alive listening on loopback port {Port}")]
    private partial void LogListening(int port);

    [LoggerMessage(EventId = 901, Level = LogLevel.Debug,
        Message = "Health response for {Path} was not sent because the prober disconnected: {Message}")]
    private partial void LogResponseFailed(string? path, string message);
}
