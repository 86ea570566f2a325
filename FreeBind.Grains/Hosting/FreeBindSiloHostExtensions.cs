using FreeBind.Jobs;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace FreeBind.Hosting;

/// <summary>Configures a complete FreeBind silo on a host builder.</summary>
public static class FreeBindSiloHostExtensions
{
    /// <summary>
    /// Adds an Orleans silo with FreeBind's services. Clustering and grain storage come from the
    /// standard <c>Orleans</c> configuration section when it names providers (for example
    /// <c>Orleans:Clustering:ProviderType=AzureTableStorage</c>); otherwise the silo uses
    /// localhost clustering on the <see cref="FreeBindClusterOptions"/> ports and in-memory state.
    /// </summary>
    public static IHostApplicationBuilder AddFreeBindSilo(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.UseOrleans(silo =>
        {
            if (string.IsNullOrEmpty(configuration["Orleans:Clustering:ProviderType"]))
            {
                var cluster = configuration.GetSection(FreeBindClusterOptions.SectionName).Get<FreeBindClusterOptions>()
                    ?? new FreeBindClusterOptions();
                silo.UseLocalhostClustering(
                    cluster.SiloPort,
                    cluster.GatewayPort,
                    new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, cluster.PrimarySiloPort));
            }

            if (string.IsNullOrEmpty(configuration[$"Orleans:GrainStorage:{FreeBindStorage.StateStorageName}:ProviderType"]))
            {
                silo.AddMemoryGrainStorage(FreeBindStorage.StateStorageName);
            }

            silo.AddFreeBind(configuration);
        });
        return builder;
    }
}
