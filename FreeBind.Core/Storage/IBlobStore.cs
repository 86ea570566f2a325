namespace FreeBind.Storage;

/// <summary>
/// A flat namespace of files under one root: a local folder or an Azure Blob container prefix.
/// Paths are relative and use '/'.
/// </summary>
public interface IBlobStore
{
    /// <summary>The root as a display string with any secret (account key, SAS) removed.</summary>
    string DisplayRoot { get; }

    /// <summary>Returns true when a file exists at <paramref name="path"/>.</summary>
    Task<bool> ExistsAsync(string path, CancellationToken cancellationToken);

    /// <summary>Opens a file for reading; the caller disposes the stream.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    Task<Stream> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Reads <paramref name="length"/> bytes starting at <paramref name="offset"/>.</summary>
    Task<byte[]> ReadRangeAsync(string path, long offset, long length, CancellationToken cancellationToken);

    /// <summary>
    /// Writes a file so that readers see either nothing or the whole file under its final name:
    /// local files are written to a temporary name and renamed; blobs are staged as blocks and
    /// committed in one call.
    /// </summary>
    /// <param name="path">Final path.</param>
    /// <param name="write">Writes the content to the given stream; it must not dispose it.</param>
    /// <param name="cancellationToken">Cancels the write; nothing is left under the final name.</param>
    Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken);

    /// <summary>Lists the paths that start with <paramref name="prefix"/>, in ordinal order.</summary>
    IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Deletes a file if it exists.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);
}
