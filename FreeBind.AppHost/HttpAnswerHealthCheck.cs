using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace FreeBind.AppHost;

/// <summary>
/// Healthy once <paramref name="uri"/> returns any HTTP response. Azurite rejects anonymous
/// requests with 403, and that response still shows the service accepts requests.
/// </summary>
/// <param name="uri">Address to request.</param>
internal sealed class HttpAnswerHealthCheck(Uri uri) : IHealthCheck, IDisposable
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(5) };

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _client.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"{uri} returned {(int)response.StatusCode}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return HealthCheckResult.Unhealthy($"{uri} did not respond: {exception.Message}");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
