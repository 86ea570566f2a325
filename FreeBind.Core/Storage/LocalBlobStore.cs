using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreeBind.Storage;

/// <summary>An <see cref="IBlobStore"/> over a local folder.</summary>
/// <remarks>
/// A write goes to <c>&lt;name&gt;.tmp-&lt;guid&gt;</c> in the target folder, is flushed to disk
/// and then renamed over the final name, so readers see the old file or the whole new one.
/// </remarks>
public sealed partial class LocalBlobStore : IBlobStore
{
    private const int WriteBufferSize = 1 << 20;

    private readonly string root;
    private readonly ILogger logger;

    /// <summary>Creates a store rooted at <paramref name="root"/>; the folder is created on the first write.</summary>
    /// <param name="root">Folder path, absolute or relative to the current directory.</param>
    /// <param name="logger">Receives warnings about temporary files that could not be removed.</param>
    public LocalBlobStore(string root, ILogger<LocalBlobStore>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);

        this.root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(root));
        this.logger = logger ?? NullLogger<LocalBlobStore>.Instance;
    }

    /// <summary>The absolute folder path.</summary>
    public string DisplayRoot => root;

    /// <inheritdoc/>
    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(File.Exists(ToFullPath(path)));
    }

    /// <inheritdoc/>
    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fullPath = ToFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"File '{path}' was not found under '{root}'.", fullPath);
        }

        Stream stream = new FileStream(
            fullPath,
            FileMode.Open,
            FileAccess.Read,
            FileShare.Read | FileShare.Delete,
            bufferSize: 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Task.FromResult(stream);
    }

    /// <inheritdoc/>
    /// <exception cref="EndOfStreamException">The range runs past the end of the file.</exception>
    public async Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);

        var fullPath = ToFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"File '{path}' was not found under '{root}'.", fullPath);
        }

        using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, FileOptions.Asynchronous);
        var size = RandomAccess.GetLength(handle);
        if (offset + length > size)
        {
            throw new EndOfStreamException(
                $"Range [{offset}, {offset + length}) of '{path}' runs past its end at {size} bytes; read at most {Math.Max(0, size - offset)} bytes from offset {offset}.");
        }

        var buffer = new byte[length];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(filled), offset + filled, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new EndOfStreamException($"File '{path}' shrank while its range [{offset}, {offset + length}) was read.");
            }

            filled += read;
        }

        return buffer;
    }

    /// <inheritdoc/>
    public async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var finalPath = ToFullPath(path);
        var folder = Path.GetDirectoryName(finalPath)!;
        Directory.CreateDirectory(folder);

        var tempPath = $"{finalPath}.tmp-{Guid.NewGuid():N}";
        try
        {
            var stream = new FileStream(tempPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, WriteBufferSize, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();

                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

                // fsync, so that the rename below never exposes a name whose data is not on disk.
                stream.Flush(flushToDisk: true);
            }

            // NOTE: the folder itself is not fsynced, so after a power loss the rename may be lost
            // and the old file (or no file) remains. The new file is never seen partly written.
            File.Move(tempPath, finalPath, overwrite: true);
        }
        catch
        {
            DeleteTemporaryFile(tempPath);
            throw;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        BlobPath.ValidatePrefix(prefix, nameof(prefix));

        var lastSlash = prefix.LastIndexOf('/');
        var folderPart = lastSlash < 0 ? string.Empty : prefix[..lastSlash];
        var folder = folderPart.Length == 0 ? root : Path.Combine(root, folderPart);
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var paths = new List<string>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = false, AttributesToSkip = 0 };
        foreach (var file in Directory.EnumerateFiles(folder, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.StartsWith(prefix, StringComparison.Ordinal) && !TemporaryFileName().IsMatch(relative))
            {
                paths.Add(relative);
            }
        }

        paths.Sort(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            yield return path;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        File.Delete(ToFullPath(path));
        return Task.CompletedTask;
    }

    private string ToFullPath(string path)
    {
        BlobPath.Validate(path, nameof(path));

        var fullPath = Path.GetFullPath(Path.Combine(root, path));
        if (!fullPath.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Path '{path}' resolves outside the store's root '{root}'; expected {BlobPath.AcceptedForm}.", nameof(path));
        }

        return fullPath;
    }

    /// <summary>
    /// Deletes the temporary files that writes leave behind when their process is killed: files
    /// named <c>&lt;name&gt;.tmp-&lt;guid&gt;</c> anywhere under the root, last written before
    /// <paramref name="writtenBefore"/>.
    /// </summary>
    /// <remarks>
    /// A write keeps its temporary file only while it runs, which takes seconds, so a caller
    /// passes the time its own run started. A write of another process that is still going on at
    /// that moment is not touched, unless it has not written a byte since. If such a file is
    /// deleted anyway, that write fails and its shard is tried again.
    /// </remarks>
    /// <returns>The number of files deleted.</returns>
    public int DeleteAbandonedTemporaryFiles(DateTimeOffset writtenBefore)
    {
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var options = new EnumerationOptions
        {
            RecurseSubdirectories = true,
            IgnoreInaccessible = true,
            AttributesToSkip = FileAttributes.ReparsePoint,
        };
        int deleted = 0;
        foreach (string file in Directory.EnumerateFiles(root, "*.tmp-*", options))
        {
            if (TemporaryFileName().IsMatch(file) && File.GetLastWriteTimeUtc(file) < writtenBefore.UtcDateTime
                && DeleteTemporaryFile(file))
            {
                deleted++;
            }
        }

        return deleted;
    }

    private bool DeleteTemporaryFile(string tempPath)
    {
        try
        {
            File.Delete(tempPath);
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogTemporaryFileNotDeleted(exception, tempPath);
            return false;
        }
    }

    [GeneratedRegex(@"\.tmp-[0-9a-f]{32}$", RegexOptions.CultureInvariant)]
    private static partial Regex TemporaryFileName();

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Temporary file {TempPath} of a failed write could not be deleted; delete it by hand")]
    private partial void LogTemporaryFileNotDeleted(Exception exception, string tempPath);
}
