using System.Globalization;

using FreeBind.AppHost;

using Microsoft.Extensions.DependencyInjection;

// A local FreeBind cluster: Azurite (blob output, Orleans membership and job state in tables)
// and N silos, one of them tagged as a GPU silo. The client is a CLI, so it starts only when
// started from the dashboard. README "Local cluster with Aspire" lists the commands.
var builder = DistributedApplication.CreateBuilder(args);

var siloCount = int.Parse(builder.Configuration["FreeBind:Silos"] ?? "2", CultureInfo.InvariantCulture);
if (siloCount < 1)
{
    throw new InvalidOperationException(
        $"FreeBind:Silos is {siloCount}; set it to 1 or more (one silo is tagged gpu=true, the rest are not).");
}

var repositoryRoot = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

// Run mode picks free ports and a fresh data folder, so two app hosts (or a test next to a
// developer's session) do not collide and no stale membership rows from an earlier run linger.
// The published manifest uses Azurite's default ports and a fixed folder, so it is reproducible.
var azuriteEndpoints = builder.ExecutionContext.IsRunMode ? AzuriteEndpoints.PickFree() : AzuriteEndpoints.Defaults;
var azuriteData = builder.ExecutionContext.IsRunMode
    ? Path.Combine(Path.GetTempPath(), $"freebind-azurite-{Guid.NewGuid():N}")
    : "azurite-data";

builder.Services.AddHealthChecks().AddCheck(
    "azurite-blob", new HttpAnswerHealthCheck(azuriteEndpoints.BlobUri));

var azurite = builder
    .AddExecutable(
        "azurite",
        "node",
        repositoryRoot,
        "node_modules/azurite/dist/src/azurite.js",
        "--blobHost", "127.0.0.1",
        "--blobPort", azuriteEndpoints.BlobPort.ToString(CultureInfo.InvariantCulture),
        "--queueHost", "127.0.0.1",
        "--queuePort", azuriteEndpoints.QueuePort.ToString(CultureInfo.InvariantCulture),
        "--tableHost", "127.0.0.1",
        "--tablePort", azuriteEndpoints.TablePort.ToString(CultureInfo.InvariantCulture),
        "--location", azuriteData,
        "--skipApiVersionCheck",
        "--disableTelemetry")
    .WithHttpEndpoint(azuriteEndpoints.BlobPort, azuriteEndpoints.BlobPort, name: "blob", isProxied: false)
    .WithHttpEndpoint(azuriteEndpoints.QueuePort, azuriteEndpoints.QueuePort, name: "queue", isProxied: false)
    .WithHttpEndpoint(azuriteEndpoints.TablePort, azuriteEndpoints.TablePort, name: "table", isProxied: false)
    .WithHealthCheck("azurite-blob");

var tables = new AzureTableProviderConfiguration("freebind-tables", azuriteEndpoints.ConnectionString);
var orleans = builder.AddOrleans("freebind")
    .WithClusterId("freebind-local")
    .WithServiceId("freebind")
    .WithClustering(tables)
    .WithGrainStorage("freebind", tables);

var gpuSilo = AddSilo("silo-gpu", replicas: 1).WithEnvironment("Orleans__Metadata__gpu", "true");
var silos = new List<IResourceBuilder<ProjectResource>> { gpuSilo };
if (siloCount > 1)
{
    silos.Add(AddSilo("silo", replicas: siloCount - 1));
}

// The CLI runs one job against the cluster and exits. Start it from the dashboard, or run the
// same command by hand with the environment shown in the README.
var client = builder.AddProject<Projects.FreeBind_Client>("client")
    .WithReference(orleans.AsClient())
    .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
    .WithEnvironment("FREEBIND_STORAGE_CONNECTION_STRING", azuriteEndpoints.ConnectionString)
    .WithArgs(
        "embed",
        "--spaces", Path.Combine("..", "samples", "spaces.json"),
        "--input", Path.Combine("..", "samples", "corpus"),
        "--output", $"{azuriteEndpoints.BlobUri}/freebind/aspire-sample",
        "--cluster")
    .WithExplicitStart();
foreach (var silo in silos)
{
    client.WaitFor(silo);
}

using (var app = builder.Build())
{
    app.Run();
}

if (builder.ExecutionContext.IsRunMode)
{
    // Each run has its own Azurite folder, so nothing in it is needed after the run.
    try
    {
        Directory.Delete(azuriteData, recursive: true);
    }
    catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"Azurite data folder {azuriteData} was not deleted: {exception.Message}");
    }
}

IResourceBuilder<ProjectResource> AddSilo(string name, int replicas)
{
    var silo = builder.AddProject<Projects.FreeBind_Silo>(name)
        .WithReplicas(replicas)
        .WithReference(orleans)
        .WithEnvironment("Orleans__Endpoints__AdvertisedIPAddress", "127.0.0.1")
        .WithEnvironment("FreeBind__Storage__ConnectionString", azuriteEndpoints.ConnectionString)
        .WithHttpEndpoint(name: "health", env: "FREEBIND_HEALTH_PORT")
        .WithHttpHealthCheck("/health", endpointName: "health")
        .WaitFor(azurite);
    return silo;
}
