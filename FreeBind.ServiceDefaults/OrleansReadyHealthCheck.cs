using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

using Orleans.Runtime;

namespace FreeBind.ServiceDefaults;

/// <summary>
/// Readiness of an Orleans process: a silo is ready once the membership table lists it as
/// <see cref="SiloStatus.Active"/>; a client is ready once its host has started, because the
/// Orleans client's start completes only after it has connected to a gateway.
/// </summary>
public sealed class OrleansReadyHealthCheck(IServiceProvider services, IHostApplicationLifetime lifetime) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var membership = services.GetService<IClusterMembershipService>();
        var silo = services.GetService<ILocalSiloDetails>();
        if (membership is not null && silo is not null)
        {
            var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
            return Task.FromResult(status == SiloStatus.Active
                ? HealthCheckResult.Healthy($"silo {silo.SiloAddress} is active in the cluster")
                : HealthCheckResult.Unhealthy($"silo {silo.SiloAddress} is {status}, not yet active in the cluster"));
        }

        if (services.GetService<IClusterClient>() is not null)
        {
            return Task.FromResult(lifetime.ApplicationStarted.IsCancellationRequested
                ? HealthCheckResult.Healthy("the cluster client has connected")
                : HealthCheckResult.Unhealthy("the cluster client has not connected yet"));
        }

        return Task.FromResult(HealthCheckResult.Healthy("no Orleans silo or client in this process"));
    }
}
