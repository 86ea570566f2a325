using Azure.Core;
using Microsoft.Extensions.Logging;

namespace FreeBind.Storage;

/// <summary>Credentials and settings that <see cref="BlobStoreFactory.Open"/> uses for blob locations.</summary>
public sealed class BlobStoreOptions
{
    /// <summary>Environment variable read for a storage connection string when none is set here.</summary>
    public const string ConnectionStringVariable = "FREEBIND_STORAGE_CONNECTION_STRING";

    /// <summary>The Azure SDK's standard connection string variable, read after <see cref="ConnectionStringVariable"/>.</summary>
    public const string AzureConnectionStringVariable = "AZURE_STORAGE_CONNECTION_STRING";

    /// <summary>Storage connection string; when null, the environment variables above are read.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Token credential for https locations without SAS or connection string; default <c>DefaultAzureCredential</c>.</summary>
    public TokenCredential? Credential { get; set; }

    /// <summary>Size of one staged block in bytes; default <see cref="AzureBlobStore.DefaultBlockSize"/> (8 MiB).</summary>
    public int BlockSize { get; set; } = AzureBlobStore.DefaultBlockSize;

    /// <summary>Default <see cref="NetworkTimeout"/>: 30 seconds.</summary>
    public static readonly TimeSpan DefaultNetworkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="MaxRetries"/>: 3.</summary>
    public const int DefaultMaxRetries = 3;

    /// <summary>
    /// Time one blob request may wait on the network (to send the request and receive the
    /// response headers, or for each read of the response body) before it is abandoned and
    /// retried. Positive, at most 10 minutes. Default <see cref="DefaultNetworkTimeout"/> (30 s),
    /// which suits many small reads. Raise it on links where staging one block of
    /// <see cref="BlockSize"/> bytes takes longer.
    /// </summary>
    public TimeSpan NetworkTimeout { get; set; } = DefaultNetworkTimeout;

    /// <summary>Retries after a failed or timed-out blob request, 0 to 10. Default <see
    /// cref="DefaultMaxRetries"/>, so a read of a blob that never responds gives up after 4 tries.</summary>
    public int MaxRetries { get; set; } = DefaultMaxRetries;

    /// <summary>Creates the stores' loggers; null for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
