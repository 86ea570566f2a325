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

    /// <summary>Creates the stores' loggers; null for none.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }
}
