namespace FreeBind.Corpus;

/// <summary>Size and modification time of one file; either may be unknown for blobs.</summary>
internal readonly record struct FileStamp(long? Size, DateTimeOffset? LastModified);

/// <summary>
/// Read access to the files under one root (a local folder or a blob store). Paths are relative
/// and use '/'; every method rejects paths that leave the root.
/// </summary>
internal interface IFileSource
{
    /// <summary>The root as shown in messages, with no secret.</summary>
    string DisplayRoot { get; }

    /// <summary>
    /// Lists all files that are not hidden, in ordinal order of their full relative path where a
    /// directory sorts as its name followed by '/', which is a depth-first walk.
    /// </summary>
    IAsyncEnumerable<string> ListFilesAsync(CancellationToken cancellationToken);

    /// <summary>Opens a file for sequential reading; the caller disposes the stream.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Reads a whole media file.</summary>
    /// <param name="path">Relative path.</param>
    /// <param name="missingHint">What the user should check when the file does not exist.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="FreeBind.Media.MediaException">Stage "read": missing, outside the root or
    /// unreadable.</exception>
    Task<byte[]> ReadAllAsync(string path, string missingHint, CancellationToken cancellationToken);

    /// <summary>Reads up to <paramref name="length"/> bytes at <paramref name="offset"/>; fewer at
    /// the end of the file.</summary>
    Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken);

    /// <summary>Opens a file for reads at arbitrary offsets; the caller disposes the reader.</summary>
    Task<IRangeReader> OpenRangeReaderAsync(string path, CancellationToken cancellationToken);

    /// <summary>Returns the size and modification time of a file without reading it.</summary>
    Task<FileStamp> GetStampAsync(string path, CancellationToken cancellationToken);
}

/// <summary>Random-access reads into one open file.</summary>
internal interface IRangeReader : IAsyncDisposable
{
    /// <summary>Fills <paramref name="buffer"/> from <paramref name="offset"/>; returns fewer bytes
    /// only at the end of the file.</summary>
    ValueTask<int> ReadAtAsync(long offset, Memory<byte> buffer, CancellationToken cancellationToken);
}
