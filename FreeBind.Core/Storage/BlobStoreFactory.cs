using System.Net;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace FreeBind.Storage;

/// <summary>Opens an <see cref="IBlobStore"/> for a location string given on the command line or in settings.</summary>
public static partial class BlobStoreFactory
{
    /// <summary>The location forms <see cref="Open"/> accepts, quoted in error messages.</summary>
    public const string AcceptedForms =
        "a folder path or file:///folder; " +
        "https://<account>.blob.core.windows.net/<container>[/<prefix>][?<SAS>]; " +
        "http://127.0.0.1:<port>/<account>/<container>[/<prefix>] for Azurite; " +
        "or az://<container>[/<prefix>] for the account of the configured connection string";

    /// <summary>Name of the storage emulator's development account.</summary>
    internal const string DevelopmentAccountName = "devstoreaccount1";

    /// <summary>The storage emulator's published, well-known development account key (not a secret).</summary>
    internal const string DevelopmentAccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    /// <summary>
    /// Opens the store for <paramref name="location"/>. Blob locations take credentials in this
    /// order: a SAS in the URI; <see cref="BlobStoreOptions.ConnectionString"/>, else the
    /// <c>FREEBIND_STORAGE_CONNECTION_STRING</c> or <c>AZURE_STORAGE_CONNECTION_STRING</c>
    /// environment variable; the development account key for a loopback <c>devstoreaccount1</c>
    /// URI; else <see cref="BlobStoreOptions.Credential"/> or <c>DefaultAzureCredential</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The location matches none of <see cref="AcceptedForms"/>.</exception>
    public static IBlobStore Open(string location, BlobStoreOptions? options = null) =>
        OpenCore(location, options ?? new BlobStoreOptions(), Environment.GetEnvironmentVariable);

    /// <summary>Opens a store, reading environment variables through <paramref name="getEnvironmentVariable"/>.</summary>
    internal static IBlobStore OpenCore(string location, BlobStoreOptions options, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        ArgumentNullException.ThrowIfNull(options);

        if (!location.Contains("://", StringComparison.Ordinal))
        {
            return new LocalBlobStore(location, options.LoggerFactory?.CreateLogger<LocalBlobStore>());
        }

        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri))
        {
            throw Invalid(location, "it is not a valid URI");
        }

        // Uri quietly resolves '.' and '..' segments, which would move the prefix elsewhere.
        var pathPart = location.Split('?', 2)[0];
        if (pathPart.Contains("/../", StringComparison.Ordinal) || pathPart.Contains("/./", StringComparison.Ordinal)
            || pathPart.EndsWith("/..", StringComparison.Ordinal) || pathPart.EndsWith("/.", StringComparison.Ordinal))
        {
            throw Invalid(location, "its path has a '.' or '..' segment");
        }

        var connectionString = options.ConnectionString
            ?? NonEmpty(getEnvironmentVariable(BlobStoreOptions.ConnectionStringVariable))
            ?? NonEmpty(getEnvironmentVariable(BlobStoreOptions.AzureConnectionStringVariable));

        return uri.Scheme.ToLowerInvariant() switch
        {
            "file" => new LocalBlobStore(uri.LocalPath, options.LoggerFactory?.CreateLogger<LocalBlobStore>()),
            "az" => OpenConfiguredAccount(location, uri, connectionString, options),
            "https" or "http" => OpenBlobUri(location, uri, connectionString, options),
            _ => throw Invalid(location, $"scheme '{uri.Scheme}' is not supported"),
        };
    }

    private static AzureBlobStore OpenConfiguredAccount(string location, Uri uri, string? connectionString, BlobStoreOptions options)
    {
        if (connectionString is null)
        {
            throw new ArgumentException(
                $"Location '{location}' names the account of the configured connection string, but none is set; " +
                $"set {BlobStoreOptions.ConnectionStringVariable} (or {BlobStoreOptions.AzureConnectionStringVariable}) " +
                "or use an https:// location.",
                nameof(location));
        }

        var containerName = uri.Host;
        ValidateContainerName(location, containerName);
        var prefix = Uri.UnescapeDataString(uri.AbsolutePath.Trim('/'));

        var container = new BlobContainerClient(connectionString, containerName, AzureBlobStore.CreateClientOptions(options));
        return CreateStore(location, container, prefix, options);
    }

    private static AzureBlobStore OpenBlobUri(string location, Uri uri, string? connectionString, BlobStoreOptions options)
    {
        var isLoopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
        if (uri.Scheme == Uri.UriSchemeHttp && !isLoopback)
        {
            throw Invalid(location, "plain http is accepted only for a loopback emulator such as Azurite; use https");
        }

        // BlobUriBuilder reads the account from the host, or from the first path segment for
        // IP-style emulator URIs such as http://127.0.0.1:10000/devstoreaccount1/container.
        var parts = new BlobUriBuilder(uri);
        if (!isLoopback && !uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(location, $"host '{uri.Host}' is not a blob endpoint, and web URLs are not downloaded");
        }

        ValidateContainerName(location, parts.BlobContainerName);

        var prefix = parts.BlobName ?? string.Empty;
        var sas = parts.Sas;
        parts.BlobName = string.Empty;
        parts.Sas = null;
        parts.Query = string.Empty;
        var containerUri = parts.ToUri();

        var clientOptions = AzureBlobStore.CreateClientOptions(options);
        BlobContainerClient container;
        if (sas is not null && !string.IsNullOrEmpty(sas.Signature))
        {
            container = new BlobContainerClient(containerUri, new AzureSasCredential(sas.ToString()), clientOptions);
        }
        else if (connectionString is not null)
        {
            container = new BlobContainerClient(connectionString, parts.BlobContainerName, clientOptions);
            var configured = AzureBlobStore.StripQuery(container.Uri);
            if (!string.Equals(configured, AzureBlobStore.StripQuery(containerUri), StringComparison.OrdinalIgnoreCase))
            {
                throw new ArgumentException(
                    $"Location '{AzureBlobStore.StripQuery(uri)}' is not in the account of the configured connection string, " +
                    $"whose container URI is '{configured}'; use a SAS URI, unset the connection string, or use az://{parts.BlobContainerName}/.",
                    nameof(location));
            }
        }
        else if (isLoopback && string.Equals(parts.AccountName, DevelopmentAccountName, StringComparison.Ordinal))
        {
            container = new BlobContainerClient(containerUri, new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey), clientOptions);
        }
        else if (uri.Scheme == Uri.UriSchemeHttp)
        {
            throw Invalid(location, $"an http emulator account other than {DevelopmentAccountName} needs a connection string in {BlobStoreOptions.ConnectionStringVariable}");
        }
        else
        {
            container = new BlobContainerClient(containerUri, options.Credential ?? new DefaultAzureCredential(), clientOptions);
        }

        return CreateStore(location, container, prefix, options);
    }

    private static AzureBlobStore CreateStore(string location, BlobContainerClient container, string prefix, BlobStoreOptions options)
    {
        try
        {
            return new AzureBlobStore(
                container, prefix, options.BlockSize, options.LoggerFactory?.CreateLogger<AzureBlobStore>(), options);
        }
        catch (ArgumentException exception) when (exception.ParamName == "prefix")
        {
            throw new ArgumentException($"Location '{Redact(location)}' has an invalid prefix '{prefix}': {exception.Message}", nameof(location), exception);
        }
    }

    private static void ValidateContainerName(string location, string? containerName)
    {
        if (string.IsNullOrEmpty(containerName) || !ContainerName().IsMatch(containerName))
        {
            throw Invalid(location, $"container name '{containerName}' is missing or invalid (3-63 lowercase letters, digits and single hyphens)");
        }
    }

    private static ArgumentException Invalid(string location, string reason) =>
        new($"Storage location '{Redact(location)}' is invalid: {reason}. Accepted forms: {AcceptedForms}.", nameof(location));

    /// <summary>
    /// Returns <paramref name="location"/> without the query of a URI, which may contain a SAS
    /// signature, keeping the scheme, account, container and path; for logs, messages and statuses.
    /// A location without "://" (a local path) is returned unchanged.
    /// </summary>
    public static string Redact(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!location.Contains("://", StringComparison.Ordinal))
        {
            return location;
        }

        var query = location.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? location : location[..query];
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    [GeneratedRegex("^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerName();
}
