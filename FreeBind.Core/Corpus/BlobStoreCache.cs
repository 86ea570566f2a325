using System.Collections.Concurrent;
using FreeBind.Media;
using FreeBind.Storage;

namespace FreeBind.Corpus;

/// <summary>Opens one blob store per folder URI on first use, for media given as absolute blob
/// URIs.</summary>
internal sealed class BlobStoreCache(Func<string, IBlobStore>? openBlobStore)
{
    private readonly ConcurrentDictionary<string, BlobFileSource> sources = new(StringComparer.Ordinal);

    /// <summary>True when a blob store opener was given.</summary>
    public bool CanOpen => openBlobStore is not null;

    /// <summary>Returns the source for a folder URI (query kept), opening its store once.</summary>
    /// <exception cref="ArgumentException">No opener was given.</exception>
    public BlobFileSource Get(string folderUri)
    {
        if (openBlobStore is null)
        {
            throw new ArgumentException(
                $"'{CorpusPaths.WithoutQuery(folderUri)}' is a blob URI but no blob store opener was given: "
                + "pass openBlobStore to CorpusFactory.Open", nameof(folderUri));
        }

        return sources.GetOrAdd(folderUri, uri => new BlobFileSource(openBlobStore(uri)));
    }

    /// <summary>Reads a whole blob given by its absolute URI.</summary>
    /// <exception cref="MediaException">Stage "read": no opener, blob missing or unreadable.</exception>
    public Task<byte[]> ReadAsync(string uri, string missingHint, CancellationToken cancellationToken)
    {
        var (folder, name) = CorpusPaths.SplitBlobUri(uri);
        BlobFileSource source;
        try
        {
            source = Get(folder);
        }
        catch (ArgumentException exception)
        {
            throw new MediaException("read", exception.Message, exception);
        }

        return source.ReadAllAsync(name, missingHint, cancellationToken);
    }
}
