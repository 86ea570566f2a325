using FreeBind.Hosting;
using FreeBind.Jobs;

using Microsoft.Extensions.Configuration;

using Orleans.Configuration;
using Orleans.TestingHost;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// A two-silo in-process Orleans cluster. The silos named in <see cref="GpuSilosProperty"/> publish
/// <c>gpu=true</c> metadata; the others publish none.
/// </summary>
public abstract class ClusterFixture : IAsyncLifetime
{
    /// <summary>TestCluster property listing the silo names that act as GPU silos.</summary>
    public const string GpuSilosProperty = "FreeBindTests:GpuSilos";

    /// <summary>The running cluster.</summary>
    public TestCluster Cluster { get; private set; } = null!;

    /// <summary>Silo names tagged as GPU silos ("Primary", "Secondary_1").</summary>
    protected abstract string GpuSilos { get; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(2);
        builder.Properties[GpuSilosProperty] = GpuSilos;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var configuration = siloBuilder.Configuration;
            var name = configuration["SiloName"] ?? "";
            var gpuSilos = (configuration[GpuSilosProperty] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var metadata = new Dictionary<string, string>();
            if (gpuSilos.Contains(name))
            {
                metadata["gpu"] = "true";
            }

            siloBuilder.AddMemoryGrainStorage(FreeBindStorage.StateStorageName);
            siloBuilder.AddFreeBind(configuration, metadata);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
    }
}
