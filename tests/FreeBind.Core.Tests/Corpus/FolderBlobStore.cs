using System.Runtime.CompilerServices;
using FreeBind.Storage;

namespace FreeBind.Tests.Corpus;

/// <summary>
/// A test-only <see cref="IBlobStore"/> over a local folder, standing in for the Azure store so
/// the blob code paths of the corpus run without a storage emulator. It records range reads so
/// tests can check that tar planning reads headers only.
/// </summary>
internal sealed class FolderBlobStore(string root) : IBlobStore
{
    public string DisplayRoot => root;

    public List<(string Path, long Offset, long Length)> RangeReads { get; } = [];

    public Task<bool> ExistsAsync(string path, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(Full(path)));

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Full(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"blob '{path}' not found", path);
        }

        return Task.FromResult<Stream>(File.OpenRead(full));
    }

    public async Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken)
    {
        lock (RangeReads)
        {
            RangeReads.Add((path, offset, length));
        }

        var full = Full(path);
        if (!File.Exists(full))
        {
            throw new FileNotFoundException($"blob '{path}' not found", path);
        }

        await using var stream = File.OpenRead(full);
        var count = (int)Math.Max(0, Math.Min(length, stream.Length - offset));
        var buffer = new byte[count];
        stream.Position = Math.Min(offset, stream.Length);
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var full = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await using var stream = File.Create(full);
        await write(stream, cancellationToken);
    }

    public async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var paths = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(full => Path.GetRelativePath(root, full).Replace('\\', '/'))
            .Where(path => path.StartsWith(prefix, StringComparison.Ordinal))
            .OrderBy(path => path, StringComparer.Ordinal);
        foreach (var path in paths)
        {
            yield return path;
        }
    }

    public Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        File.Delete(Full(path));
        return Task.CompletedTask;
    }

    private string Full(string path)
    {
        if (path.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"path '{path}' climbs out of the store", nameof(path));
        }

        return Path.Combine(root, path);
    }
}
