using System.Runtime.CompilerServices;
using FreeBind.Media;
using FreeBind.Storage;

namespace FreeBind.Corpus;

/// <summary>Files in a blob store (an Azure container prefix, or a local folder behind the same
/// interface).</summary>
internal sealed class BlobFileSource(IBlobStore store) : IFileSource
{
    /// <summary>Bytes fetched per range request while scanning tar headers.</summary>
    internal const int WindowSize = 1 << 20;

    public string DisplayRoot => store.DisplayRoot;

    public IAsyncEnumerable<string> ListFilesAsync(CancellationToken cancellationToken) =>
        ListAsync(cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken) =>
        store.OpenReadAsync(Normalize(path), cancellationToken);

    public async Task<byte[]> ReadAllAsync(string path, string missingHint, CancellationToken cancellationToken)
    {
        var relative = Normalize(path);
        try
        {
            var stream = await store.OpenReadAsync(relative, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
                return copy.ToArray();
            }
        }
        catch (FileNotFoundException exception)
        {
            throw new MediaException(
                "read", $"file '{relative}' not found under the corpus root '{store.DisplayRoot}': {missingHint}", exception);
        }
        catch (BlobReadException exception)
        {
            throw new MediaException("read", exception.Message, exception);
        }
        catch (IOException exception)
        {
            throw new MediaException(
                "read", $"blob '{relative}' under '{store.DisplayRoot}' could not be read: {exception.Message}", exception);
        }
    }

    public Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken) =>
        store.ReadRangeAsync(Normalize(path), offset, length, cancellationToken);

    public async Task<IRangeReader> OpenRangeReaderAsync(string path, CancellationToken cancellationToken)
    {
        var relative = Normalize(path);
        var length = await GetLengthAsync(relative, cancellationToken).ConfigureAwait(false);
        return new WindowedRangeReader(store, relative, length);
    }

    public async Task<FileStamp> GetStampAsync(string path, CancellationToken cancellationToken)
    {
        // NOTE: IBlobStore exposes no modification time, so blob fingerprints rest on names and sizes
        // (tars) or on names alone (folders, where opening every blob for its size would cost a request each).
        var length = await GetLengthAsync(Normalize(path), cancellationToken).ConfigureAwait(false);
        return new FileStamp(length, null);
    }

    private async Task<long?> GetLengthAsync(string relative, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(relative, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            return stream.CanSeek ? stream.Length : null;
        }
    }

    private string Normalize(string path) =>
        CorpusPaths.NormalizeRelative(path)
        ?? throw new MediaException("read", $"path '{path}' leaves the corpus root '{store.DisplayRoot}': use a path inside the root");

    private async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var path in store.ListAsync(string.Empty, cancellationToken).ConfigureAwait(false))
        {
            if (!CorpusPaths.IsHidden(path))
            {
                yield return path;
            }
        }
    }

    /// <summary>
    /// Serves small reads from one cached window of <see cref="WindowSize"/> bytes, so scanning the
    /// headers of a tar of small members costs one range request per window, not per member.
    /// </summary>
    private sealed class WindowedRangeReader(IBlobStore store, string path, long? length) : IRangeReader
    {
        private long windowStart = -1;
        private byte[] window = [];

        public async ValueTask<int> ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var position = offset + total;
                if (length is { } known && position >= known)
                {
                    break;
                }

                if (windowStart < 0 || position < windowStart || position >= windowStart + window.Length)
                {
                    var size = length is { } end ? Math.Min(WindowSize, end - position) : WindowSize;
                    window = await store.ReadRangeAsync(path, position, size, cancellationToken).ConfigureAwait(false);
                    windowStart = position;
                    if (window.Length == 0)
                    {
                        break;
                    }
                }

                var available = (int)Math.Min(window.Length - (position - windowStart), buffer.Length - total);
                window.AsMemory((int)(position - windowStart), available).CopyTo(buffer[total..]);
                total += available;
                if (window.Length < WindowSize && position - windowStart + available >= window.Length && length is null)
                {
                    // A short window without a known length means the blob ended inside it.
                    break;
                }
            }

            return total;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
