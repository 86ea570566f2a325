using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

using FreeBind.Hosting;
using FreeBind.Jobs;
using FreeBind.Tests.Infrastructure;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

using Orleans.Configuration;
using Orleans.TestingHost;

namespace FreeBind.Tests;

/// <summary>
/// A silo with <c>FreeBind:Tls</c> set to a self-signed certificate made by the test: a client
/// with the same settings calls a grain, and a client without TLS cannot connect.
/// </summary>
public sealed class TlsTests : IAsyncLifetime
{
    private const string Password = "test-only-password";
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TlsFailureTimeout = TimeSpan.FromSeconds(30);

    private readonly TempDirectory temp = new();
    private readonly string siloLogKey;
    private readonly CapturingLoggerProvider siloLogs;
    private TestCluster? cluster;

    public TlsTests() => (siloLogKey, siloLogs) = CapturingLoggerProvider.Register();

    public async Task InitializeAsync()
    {
        var certificatePath = temp.Combine("silo.pfx");
        var thumbprint = CreateSelfSignedCertificate(certificatePath);

        // Real sockets: on TestCluster's default in-memory transport, a client built outside the
        // cluster finds nothing listening on the gateway port and never reaches the TLS layer.
        var builder = new TestClusterBuilder(1);
        builder.Options.ConnectionTransport = ConnectionTransportType.TcpSocket;
        builder.Properties[$"{FreeBindTlsOptions.SectionName}:CertificatePath"] = certificatePath;
        builder.Properties[$"{FreeBindTlsOptions.SectionName}:CertificatePassword"] = Password;
        builder.Properties[$"{FreeBindTlsOptions.SectionName}:AllowedThumbprints"] = thumbprint;
        builder.Properties[CapturingLoggerProvider.KeyProperty] = siloLogKey;
        builder.AddSiloBuilderConfigurator<TlsSiloConfigurator>();
        builder.AddClientBuilderConfigurator<TlsClientConfigurator>();
        cluster = builder.Build();
        await cluster.DeployAsync().WaitAsync(ConnectTimeout);
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAllSilosAsync();
            await cluster.DisposeAsync();
        }

        temp.Dispose();
        CapturingLoggerProvider.Unregister(siloLogKey);
    }

    [Fact]
    public async Task TlsClient_CallsGrain()
    {
        var silo = await cluster!.Client.GetGrain<IEncoderGrain>("tls/probe").GetSiloAsync().WaitAsync(ConnectTimeout);

        Assert.Equal(cluster.Primary!.SiloAddress.ToString(), silo);
    }

    [Fact]
    public async Task PlainClient_FailsToConnect()
    {
        var gateway = cluster!.Primary!.GatewayAddress!.Endpoint;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client =>
        {
            client.UseStaticClustering(new IPEndPoint(IPAddress.Loopback, gateway.Port));
            client.Configure<ClusterOptions>(options =>
            {
                options.ClusterId = cluster.Options.ClusterId;
                options.ServiceId = cluster.Options.ServiceId;
            });
        });
        using var host = builder.Build();
        using var stop = new CancellationTokenSource();

        // NOTE: Orleans 10.4.2 never fails a plain client's start. The TLS gateway closes each
        // connection after its handshake fails, and the client keeps reconnecting until its start
        // is cancelled. So the test waits for the silo's handshake failure, then cancels.
        var start = host.StartAsync(stop.Token);
        var failure = await siloLogs.WaitForAsync(
            line => line.Contains("TlsServerConnectionMiddleware", StringComparison.Ordinal)
                && line.Contains("AuthenticationException", StringComparison.Ordinal),
            TlsFailureTimeout);
        var startedBeforeCancel = start.IsCompletedSuccessfully;
        await stop.CancelAsync();
        var exception = await Record.ExceptionAsync(() => start.WaitAsync(TlsFailureTimeout));

        Assert.Contains("Authentication failed", failure, StringComparison.Ordinal);
        Assert.False(startedBeforeCancel);
        Assert.IsAssignableFrom<OperationCanceledException>(exception);
    }

    /// <summary>Writes a self-signed certificate for server and client authentication; returns its thumbprint.</summary>
    private static string CreateSelfSignedCertificate(string path)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=freebind-tls-test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], critical: false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        return certificate.Thumbprint;
    }

    private sealed class TlsSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(FreeBindStorage.StateStorageName);
            siloBuilder.AddFreeBind(siloBuilder.Configuration, new Dictionary<string, string>());
            siloBuilder.UseFreeBindTls(siloBuilder.Configuration);
            CapturingLoggerProvider.AddTo(siloBuilder.Services, siloBuilder.Configuration[CapturingLoggerProvider.KeyProperty]);
        }
    }

    private sealed class TlsClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseFreeBindTls(configuration);
    }
}
