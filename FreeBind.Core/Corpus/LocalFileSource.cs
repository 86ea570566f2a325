using System.Runtime.CompilerServices;
using FreeBind.Media;
using Microsoft.Win32.SafeHandles;

namespace FreeBind.Corpus;

/// <summary>Files under a local folder. Reads resolve symbolic links and reject targets outside the
/// folder.</summary>
internal sealed class LocalFileSource : IFileSource
{
    private readonly string root;
    private readonly string realRoot;

    /// <summary>Creates a source over <paramref name="rootFolder"/>, which need not exist yet.</summary>
    public LocalFileSource(string rootFolder)
    {
        root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootFolder));
        var link = Directory.Exists(root) ? new DirectoryInfo(root).ResolveLinkTarget(returnFinalTarget: true) : null;
        realRoot = link is null ? root : Path.TrimEndingDirectorySeparator(link.FullName);
    }

    public string DisplayRoot => root;

    public IAsyncEnumerable<string> ListFilesAsync(CancellationToken cancellationToken) =>
        ListAsync(cancellationToken);

    public Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = ResolveExisting(path, "check the path");
        return Task.FromResult<Stream>(new FileStream(
            full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous));
    }

    public async Task<byte[]> ReadAllAsync(string path, string missingHint, CancellationToken cancellationToken)
    {
        var full = ResolveExisting(path, missingHint);
        var length = new FileInfo(full).Length;
        if (length > Array.MaxLength)
        {
            throw new MediaException("read",
                $"file '{path}' under '{root}' is {length} bytes, too long to read: files of at most "
                + $"{Array.MaxLength} bytes (about 2 GiB) are read; shrink or split the file");
        }

        try
        {
            return await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            throw new MediaException("read", $"file '{path}' under '{root}' could not be read: {exception.Message}", exception);
        }
        catch (UnauthorizedAccessException exception)
        {
            throw new MediaException("read", $"file '{path}' under '{root}' is not readable: check its permissions", exception);
        }
    }

    public async Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken)
    {
        await using var reader = await OpenRangeReaderAsync(path, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[length];
        var read = await reader.ReadAtAsync(offset, buffer, cancellationToken).ConfigureAwait(false);
        return read == buffer.Length ? buffer : buffer[..read];
    }

    public Task<IRangeReader> OpenRangeReaderAsync(string path, CancellationToken cancellationToken)
    {
        var full = ResolveExisting(path, "check the path");
        var handle = File.OpenHandle(full, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        return Task.FromResult<IRangeReader>(new HandleRangeReader(handle));
    }

    public Task<FileStamp> GetStampAsync(string path, CancellationToken cancellationToken)
    {
        var info = new FileInfo(ResolveExisting(path, "check the path"));
        return Task.FromResult(new FileStamp(info.Length, info.LastWriteTimeUtc));
    }

    /// <summary>
    /// Returns the full path of an existing file under the root, following symbolic links one
    /// path segment at a time so that a link anywhere on the way cannot lead outside the root.
    /// </summary>
    private string ResolveExisting(string path, string missingHint)
    {
        // On Linux and macOS a backslash is an ordinary character of a file name, not a separator.
        var relative = CorpusPaths.NormalizeRelative(path, backslashIsSeparator: Path.DirectorySeparatorChar == '\\')
            ?? throw new MediaException("read", $"path '{path}' leaves the corpus root '{root}': use a path inside the root");

        var current = root;
        foreach (var segment in relative.Split('/'))
        {
            current = Path.Combine(current, segment);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (!info.Exists)
            {
                throw new MediaException(
                    "read", $"file '{relative}' not found under the corpus root '{root}': {missingHint}");
            }

            if (info.LinkTarget is null)
            {
                continue;
            }

            var target = ResolveLink(info, relative);
            if (!(CorpusPaths.IsUnder(target, root) || CorpusPaths.IsUnder(target, realRoot)))
            {
                throw new MediaException(
                    "read", $"file '{relative}' is a link to '{target}' outside the corpus root '{root}': copy the file into the root");
            }

            if (!Path.Exists(target))
            {
                throw new MediaException("read",
                    $"file '{relative}' under '{root}' is a link to '{target}', which does not exist: fix or remove the link");
            }

            current = target;
        }

        if (Directory.Exists(current))
        {
            throw new MediaException("read", $"path '{relative}' under '{root}' is a folder, not a file: check the path");
        }

        if (SpecialFiles.DescribeSpecial(current) is { } kind)
        {
            throw new MediaException("read",
                $"file '{relative}' under '{root}' is a {kind}, not a regular file: remove it from the corpus folder");
        }

        return current;
    }

    /// <summary>Returns the full path that a link finally points to, or throws a read error for a
    /// link cycle.</summary>
    private string ResolveLink(FileSystemInfo link, string relative)
    {
        try
        {
            return link.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? link.FullName;
        }
        catch (IOException exception)
        {
            throw new MediaException("read",
                $"link '{relative}' under '{root}' could not be resolved: {exception.Message} Fix or remove the link.",
                exception);
        }
    }

    private async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var pending = new Stack<(string Full, string Relative, List<FileSystemInfo> Children, int Next)>();
        pending.Push((root, string.Empty, SortedChildren(root), 0));

        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (full, relative, children, next) = pending.Pop();
            if (next >= children.Count)
            {
                continue;
            }

            pending.Push((full, relative, children, next + 1));
            var child = children[next];
            var childRelative = relative.Length == 0 ? child.Name : relative + "/" + child.Name;
            if (child is DirectoryInfo directory)
            {
                // NOTE: linked folders are not followed, which keeps a link cycle from looping forever.
                if (directory.LinkTarget is null)
                {
                    pending.Push((directory.FullName, childRelative, SortedChildren(directory.FullName), 0));
                }

                continue;
            }

            yield return childRelative;
        }
    }

    /// <summary>Lists one folder's visible children, sorted so the walk matches a flat ordinal
    /// listing.</summary>
    private static List<FileSystemInfo> SortedChildren(string folder)
    {
        var children = new DirectoryInfo(folder)
            .EnumerateFileSystemInfos()
            .Where(info => !info.Name.StartsWith('.') && !IsHiddenFile(info))
            .ToList();
        children.Sort((left, right) => string.CompareOrdinal(SortKey(left), SortKey(right)));
        return children;
    }

    /// <remarks>
    /// A file that cannot be stat'ed, such as one whose name is not valid UTF-8 on Linux, reports
    /// every attribute bit, Hidden included. It is kept so that reading it gives an error row
    /// instead of a silent gap.
    /// </remarks>
    private static bool IsHiddenFile(FileSystemInfo info) =>
        info.Exists && info.Attributes.HasFlag(FileAttributes.Hidden);

    private static string SortKey(FileSystemInfo info) => info is DirectoryInfo ? info.Name + "/" : info.Name;

    private sealed class HandleRangeReader(SafeFileHandle handle) : IRangeReader
    {
        public async ValueTask<int> ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken)
        {
            var total = 0;
            while (total < buffer.Length)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer[total..], offset + total, cancellationToken)
                    .ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }

        public ValueTask DisposeAsync()
        {
            handle.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
