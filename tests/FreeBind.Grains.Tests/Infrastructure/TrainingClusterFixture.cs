using System.Collections.Concurrent;

using FreeBind.Hosting;
using FreeBind.Jobs;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// Three in-process silos whose grain state lives in the test process (<see cref="SharedGrainStorage"/>),
/// so a test can kill a silo and see its grains resume elsewhere. The primary silo hosts the test
/// cluster's membership and must stay up. Every silo runs <see cref="StalledCallFilter"/>, so a
/// test can make one grain call slow.
/// </summary>
public sealed class TrainingClusterFixture : IAsyncLifetime
{
    private static readonly ConcurrentDictionary<string, object?> States = new();

    public TestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(3);
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var name = siloBuilder.Configuration["Orleans:Name"] ?? "";
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(
                FreeBindStorage.StateStorageName,
                (services, _) => new SharedGrainStorage(services.GetRequiredService<DeepCopier>(), States));
            siloBuilder.AddFreeBind(siloBuilder.Configuration, new Dictionary<string, string> { ["freebind.silo"] = name });
            siloBuilder.AddIncomingGrainCallFilter<StalledCallFilter>();
            // Wake running jobs quickly after a silo is killed, as a production keeper would within 30 s.
            siloBuilder.Services.Configure<FreeBindSiloOptions>(options => options.JobKeeperInterval = TimeSpan.FromSeconds(1));
            // ONNX Runtime threads of three silos and their workers share the test machine's cores.
            siloBuilder.Services.Configure<FreeBind.Encoders.EncoderOptions>(options => options.IntraOpThreads = 1);
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Configure<Orleans.Configuration.ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(30));
    }
}
