using FreeBind.Hosting;
using FreeBind.Jobs;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using Orleans.Configuration;
using Orleans.Runtime.MembershipService.SiloMetadata;
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

    /// <summary>Silo names (Orleans:Name) tagged as GPU silos, comma-separated: "Primary", "Secondary_1".</summary>
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
        await WaitForMetadataAsync();
    }

    /// <summary>
    /// Waits until every silo's metadata cache contains the metadata of every silo, because placement
    /// decisions made before that see no GPU silo and fall back to all silos.
    /// </summary>
    private async Task WaitForMetadataAsync()
    {
        var expected = GpuSilos.Split(',', StringSplitOptions.RemoveEmptyEntries).Length;
        var silos = Cluster.Silos.Cast<InProcessSiloHandle>().ToList();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var converged = silos.All(observer =>
            {
                var cache = observer.SiloHost.Services.GetRequiredService<ISiloMetadataCache>();
                var known = silos.Count(s => cache.GetSiloMetadata(s.SiloAddress).Metadata.ContainsKey("freebind.silo"));
                var gpu = silos.Count(s => cache.GetSiloMetadata(s.SiloAddress).Metadata.ContainsKey("gpu"));
                return known == silos.Count && gpu == expected;
            });
            if (converged)
            {
                return;
            }

            if (deadline.IsCancellationRequested)
            {
                var seen = string.Join("; ", silos.SelectMany(observer => silos.Select(s =>
                    $"{observer.Name} sees {s.Name}: " + string.Join(",", observer.SiloHost.Services
                        .GetRequiredService<ISiloMetadataCache>().GetSiloMetadata(s.SiloAddress).Metadata
                        .Select(p => $"{p.Key}={p.Value}")))));
                throw new TimeoutException($"silo metadata did not converge within 30 s: {seen}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), CancellationToken.None);
        }
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
            var name = configuration["Orleans:Name"] ?? "";
            var gpuSilos = (configuration[GpuSilosProperty] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries);
            var metadata = new Dictionary<string, string> { ["freebind.silo"] = name };
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
