using System.Runtime.CompilerServices;
using Azure;
using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreeBind.Storage;

/// <summary>An <see cref="IBlobStore"/> over the blobs of one container under a name prefix.</summary>
/// <remarks>
/// Writes stage blocks and commit the block list once at the end, so a blob is either absent,
/// the previous version, or the whole new content. Transient failures are retried by the SDK
/// as configured by <see cref="CreateClientOptions"/>.
/// </remarks>
public sealed partial class AzureBlobStore : IBlobStore
{
    /// <summary>Default size of one staged block: 8 MiB.</summary>
    public const int DefaultBlockSize = 8 << 20;

    private readonly BlobContainerClient container;
    private readonly string prefix;
    private readonly int blockSize;
    private readonly ILogger logger;
    private readonly SemaphoreSlim containerLock = new(1, 1);
    private readonly TimeSpan networkTimeout;
    private readonly int maxRetries;
    private volatile bool containerReady;

    /// <summary>Creates a store over <paramref name="container"/>, with blob names <c>prefix + path</c>.</summary>
    /// <param name="container">Container client; its credentials are used as they are.</param>
    /// <param name="prefix">Blob name prefix such as <c>runs/2026-12</c>; empty for the whole container.</param>
    /// <param name="blockSize">Size of one staged block in bytes, 1 MiB to 100 MiB; default 8 MiB.</param>
    /// <param name="logger">Receives container creation and commit messages.</param>
    /// <param name="settings">Settings whose network timeout and retry count <paramref
    /// name="container"/> was created with, quoted in read errors. Default: a new <see cref="BlobStoreOptions"/>.</param>
    public AzureBlobStore(
        BlobContainerClient container,
        string prefix,
        int blockSize = DefaultBlockSize,
        ILogger<AzureBlobStore>? logger = null,
        BlobStoreOptions? settings = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1 << 20);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockSize, 100 << 20);

        var trimmed = prefix.Trim('/');
        if (trimmed.Length > 0)
        {
            BlobPath.Validate(trimmed, nameof(prefix));
        }

        this.container = container;
        this.prefix = trimmed.Length == 0 ? string.Empty : trimmed + "/";
        this.blockSize = blockSize;
        this.logger = logger ?? NullLogger<AzureBlobStore>.Instance;
        networkTimeout = settings?.NetworkTimeout ?? BlobStoreOptions.DefaultNetworkTimeout;
        maxRetries = settings?.MaxRetries ?? BlobStoreOptions.DefaultMaxRetries;
        DisplayRoot = StripQuery(container.Uri) + (trimmed.Length == 0 ? string.Empty : "/" + trimmed);
    }

    /// <summary>The container URI and prefix, without a query, so no SAS signature appears.</summary>
    public string DisplayRoot { get; }

    /// <summary>
    /// Creates client options with exponential retries (0.5 s doubling up to 10 s) and the
    /// network timeout and retry count of <paramref name="settings"/>, by default 30 s and 3
    /// retries, which ride over a storage emulator restart of a few seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout or retry count is out of range.</exception>
    public static BlobClientOptions CreateClientOptions(BlobStoreOptions? settings = null)
    {
        var networkTimeout = settings?.NetworkTimeout ?? BlobStoreOptions.DefaultNetworkTimeout;
        var maxRetries = settings?.MaxRetries ?? BlobStoreOptions.DefaultMaxRetries;
        ValidateRetrySettings(networkTimeout, maxRetries);

        var options = new BlobClientOptions();
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(10);
        options.Retry.NetworkTimeout = networkTimeout;
        return options;
    }

    /// <summary>Checks a network timeout and a retry count against the ranges that <see
    /// cref="BlobStoreOptions"/> documents.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    internal static void ValidateRetrySettings(TimeSpan networkTimeout, int maxRetries)
    {
        if (networkTimeout <= TimeSpan.Zero || networkTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentOutOfRangeException(
                nameof(networkTimeout), networkTimeout, "The blob network timeout must be positive and at most 10 minutes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxRetries, 10);
    }

    /// <inheritdoc/>
    public async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        var response = await GetBlob(path).ExistsAsync(cancellationToken).ConfigureAwait(false);
        return response.Value;
    }

    /// <inheritdoc/>
    public async Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var blob = GetBlob(path);
        try
        {
            var options = new BlobOpenReadOptions(allowModifications: false) { BufferSize = 4 << 20 };
            var stream = await blob.OpenReadAsync(options, cancellationToken).ConfigureAwait(false);
            return new BlobReadStream(stream, (exception, token) => TranslateReadFailure(path, exception, token));
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            throw NotFound(path, exception);
        }
        catch (Exception exception) when (TranslateReadFailure(path, exception, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="EndOfStreamException">The range runs past the end of the blob.</exception>
    public async Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);

        var blob = GetBlob(path);
        if (length == 0)
        {
            // A zero-length HttpRange means "to the end", so an empty read is handled here.
            return await blob.ExistsAsync(cancellationToken).ConfigureAwait(false)
                ? []
                : throw NotFound(path, null);
        }

        BlobDownloadResult result;
        try
        {
            var options = new BlobDownloadOptions { Range = new HttpRange(offset, length) };
            result = (await blob.DownloadContentAsync(options, cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException exception) when (exception.Status == 404)
        {
            throw NotFound(path, exception);
        }
        catch (RequestFailedException exception) when (exception.Status == 416)
        {
            throw new EndOfStreamException($"Range starting at {offset} lies past the end of '{DisplayRoot}/{path}'.", exception);
        }
        catch (Exception exception) when (TranslateReadFailure(path, exception, cancellationToken) is { } failure)
        {
            throw failure;
        }

        var bytes = result.Content.ToArray();
        if (bytes.Length != length)
        {
            throw new EndOfStreamException(
                $"Range [{offset}, {offset + length}) of '{DisplayRoot}/{path}' runs past its end; {bytes.Length} bytes were available from offset {offset}.");
        }

        return bytes;
    }

    /// <inheritdoc/>
    public async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var blob = container.GetBlockBlobClient(ToBlobName(path));
        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);

        var stream = new BlockStagingStream(blob, blockSize, cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            IReadOnlyList<string> blockIds;
            try
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                blockIds = await stream.CompleteAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
            catch
            {
                await stream.AbandonAsync().ConfigureAwait(false);
                throw;
            }

            var options = new CommitBlockListOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(path) } };
            await blob.CommitBlockListAsync(blockIds, options, cancellationToken).ConfigureAwait(false);
            LogCommitted(DisplayRoot, path, blockIds.Count, stream.Length);
        }
    }

    /// <inheritdoc/>
    /// <remarks>The listing is collected and sorted before the first path is returned.</remarks>
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobPath.ValidatePrefix(prefix, nameof(prefix));

        var paths = new List<string>();
        var options = new GetBlobsOptions { Prefix = this.prefix + prefix };
        try
        {
            await foreach (var item in container.GetBlobsAsync(options, cancellationToken).ConfigureAwait(false))
            {
                paths.Add(item.Name[this.prefix.Length..]);
            }
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // A container that does not exist yet contains no files.
        }

        // The service orders names by UTF-8 bytes; ordinal UTF-16 order differs for a few characters.
        paths.Sort(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            yield return path;
        }
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await GetBlob(path).DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, conditions: null, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            // Nothing to delete.
        }
    }

    internal static string StripQuery(Uri uri) =>
        uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped).TrimEnd('/');

    private static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".parquet" => "application/vnd.apache.parquet",
        ".json" => "application/json",
        ".jsonl" or ".ndjson" => "application/x-ndjson",
        ".txt" or ".log" => "text/plain; charset=utf-8",
        ".csv" => "text/csv; charset=utf-8",
        _ => "application/octet-stream",
    };

    private BlobClient GetBlob(string path) => container.GetBlobClient(ToBlobName(path));

    private string ToBlobName(string path)
    {
        BlobPath.Validate(path, nameof(path));
        return prefix + path;
    }

    /// <summary>
    /// Returns a one-line <see cref="BlobReadException"/> for a read that timed out or failed on
    /// every try, or null for any other exception. The SDK reports those as an AggregateException
    /// whose message repeats each try's error.
    /// </summary>
    private BlobReadException? TranslateReadFailure(string path, Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        var failures = exception is AggregateException aggregate ? aggregate.InnerExceptions : [exception];
        var tries = exception is AggregateException ? failures.Count : 1;
        var blob = $"{DisplayRoot}/{path}";
        if (failures.All(failure => failure is OperationCanceledException or TimeoutException))
        {
            return new BlobReadException(
                $"Reading blob '{blob}' timed out: no response within {networkTimeout.TotalSeconds:0.###} s on each of "
                + $"{tries} tries. Check the network and the storage account, or raise FreeBind:Storage:NetworkTimeout "
                + $"(now {networkTimeout}) or FreeBind:Storage:MaxRetries (now {maxRetries}).",
                exception);
        }

        if (exception is AggregateException)
        {
            var last = failures[^1].Message.Split('\n', 2)[0].Trim();
            return new BlobReadException(
                $"Reading blob '{blob}' failed after {tries} tries: {last} Check the network and the storage account.",
                exception);
        }

        return null;
    }

    private FileNotFoundException NotFound(string path, Exception? inner) =>
        new($"Blob '{path}' was not found under '{DisplayRoot}'.", DisplayRoot + "/" + path, inner);

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (containerReady)
        {
            return;
        }

        await containerLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (containerReady)
            {
                return;
            }

            try
            {
                await container.CreateAsync(PublicAccessType.None, metadata: null, cancellationToken).ConfigureAwait(false);
                LogContainerCreated(StripQuery(container.Uri));
            }
            catch (RequestFailedException exception) when (exception.Status == 409)
            {
                // Already there, possibly created by another writer a moment ago.
            }
            catch (RequestFailedException exception) when (exception.Status == 403)
            {
                // A SAS scoped to the container may not allow creating it; the write then shows
                // whether the container exists.
                LogContainerCreateForbidden(StripQuery(container.Uri), exception.ErrorCode);
            }

            containerReady = true;
        }
        finally
        {
            containerLock.Release();
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created blob container {Container}")]
    private partial void LogContainerCreated(string container);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Not allowed to create blob container {Container} ({ErrorCode}); assuming it exists")]
    private partial void LogContainerCreateForbidden(string container, string? errorCode);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Committed {Root}/{Path}: {BlockCount} blocks, {ByteCount} bytes")]
    private partial void LogCommitted(string root, string path, int blockCount, long byteCount);
}
