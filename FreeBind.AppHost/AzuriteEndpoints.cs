using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace FreeBind.AppHost;

/// <summary>
/// Loopback ports of one Azurite process and the connection string that reaches them.
/// </summary>
/// <param name="BlobPort">Blob service port.</param>
/// <param name="QueuePort">Queue service port.</param>
/// <param name="TablePort">Table service port.</param>
internal sealed record AzuriteEndpoints(int BlobPort, int QueuePort, int TablePort)
{
    /// <summary>Azurite's fixed development account.</summary>
    public const string AccountName = "devstoreaccount1";

    // Azurite's published development key: it is the same in every Azurite install and protects nothing.
    private const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>Azurite's own default ports, used for the published manifest.</summary>
    public static AzuriteEndpoints Defaults { get; } = new(10000, 10001, 10002);

    /// <summary>Blob service root, including the account segment Azurite expects.</summary>
    public Uri BlobUri => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>Connection string with explicit endpoints for blobs, queues and tables.</summary>
    public string ConnectionString => string.Create(
        CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};");

    /// <summary>Picks three ports that are free on loopback now.</summary>
    /// <remarks>
    /// Another process could take a port between this call and Azurite's start; Azurite then
    /// exits with EADDRINUSE and the resource shows as failed, so a rerun picks new ports.
    /// </remarks>
    public static AzuriteEndpoints PickFree()
    {
        using var blob = Listen();
        using var queue = Listen();
        using var table = Listen();
        return new AzuriteEndpoints(PortOf(blob), PortOf(queue), PortOf(table));
    }

    private static Socket Listen()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen();
        return socket;
    }

    private static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;
}
