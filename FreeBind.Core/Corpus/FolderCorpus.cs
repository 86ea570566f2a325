using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>
/// A folder tree where files that share a stem in one folder form one entry, e.g.
/// <c>sub/x.jpg</c> and <c>sub/x.txt</c> become entry <c>sub/x</c>.
/// </summary>
/// <remarks>
/// Files are listed depth-first in ordinal order (a folder sorts as its name plus '/'). A folder's
/// own entries are emitted, sorted by stem, once the listing has left that folder, so they follow
/// the entries of its subfolders. Only the files of the folders on the current path are held in
/// memory. Hidden files and folders (name starting with '.') and unmapped extensions are skipped.
/// </remarks>
internal sealed class FolderCorpus(string input, IFileSource source, CorpusOptions options) : ICorpus
{
    private const string MissingHint = "the file was moved or deleted after planning; plan the corpus again";

    public string Input { get; } = input;

    public async Task<string> ComputeFingerprintAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var files = 0;
        await foreach (var path in source.ListFilesAsync(cancellationToken).ConfigureAwait(false))
        {
            files++;
            var stamp = source is BlobFileSource
                ? default
                : await TryGetStampAsync(path, cancellationToken).ConfigureAwait(false);
            var line = $"{path}\t{stamp.Size}\t{stamp.LastModified?.UtcTicks}\n";
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }

        // A blob container that does not exist lists as empty, so an empty blob input is almost
        // always a typo in the URI. A local folder was checked to exist when the corpus was opened.
        if (files == 0 && source is BlobFileSource)
        {
            throw new ArgumentException(
                $"input '{source.DisplayRoot}' lists no files: check the container name and the prefix, " +
                "and that the SAS token grants list permission.");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public IAsyncEnumerable<CorpusShard> PlanShardsAsync(int shardSize, CancellationToken cancellationToken) =>
        ShardPlanner.PlanAsync(PlanItemsAsync(cancellationToken), shardSize, cancellationToken);

    public async Task<ReadOnlyMemory<byte>> ReadAsync(MediaReference media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (media.InlineText is { } text)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        if (media.Location is null || media.Offset is not null)
        {
            throw new MediaException("read", $"media '{media.Source}' is not a file of folder corpus '{Input}'");
        }

        // .NET lists a Linux file name that is not valid UTF-8 with U+FFFD in place of the bad
        // bytes, and that name then matches no file, so the only fix is to rename the file.
        if (media.Location.Contains('\uFFFD', StringComparison.Ordinal))
        {
            throw new MediaException(
                "read",
                $"file name '{media.Location}' is not valid UTF-8 (\uFFFD marks the bytes that are not), so it cannot be opened; " +
                "rename the file with a UTF-8 name");
        }

        return await source.ReadAllAsync(media.Location, MissingHint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Returns the size and modification time of a listed file, or an empty stamp when the file
    /// cannot be resolved (a dangling link, a link cycle, a link outside the root, a named pipe). Such a file
    /// still becomes an entry, and reading it gives an error row for that file alone.
    /// </summary>
    private async Task<FileStamp> TryGetStampAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await source.GetStampAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is MediaException or IOException or UnauthorizedAccessException)
        {
            return default;
        }
    }

    private async IAsyncEnumerable<PlanItem> PlanItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var open = new List<FolderFiles>();
        var ids = new IdSet();

        await foreach (var path in source.ListFilesAsync(cancellationToken).ConfigureAwait(false))
        {
            var slash = path.LastIndexOf('/');
            var folder = slash < 0 ? string.Empty : path[..slash];

            while (open.Count > 0 && !IsSelfOrAncestor(open[^1].Folder, folder))
            {
                foreach (var item in Close(open[^1], ids))
                {
                    yield return item;
                }

                open.RemoveAt(open.Count - 1);
            }

            if (open.Count == 0 || open[^1].Folder != folder)
            {
                open.Add(new FolderFiles(folder));
            }

            var name = path[(slash + 1)..];
            var extension = Path.GetExtension(name).TrimStart('.');
            if (options.ModalityOf(extension) is { } modality && options.Modalities.Contains(modality))
            {
                open[^1].Add(Path.GetFileNameWithoutExtension(name), path, modality);
            }
        }

        for (var i = open.Count - 1; i >= 0; i--)
        {
            foreach (var item in Close(open[i], ids))
            {
                yield return item;
            }
        }
    }

    private static IEnumerable<PlanItem> Close(FolderFiles folder, IdSet ids)
    {
        foreach (var (stem, files) in folder.Stems.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var id = folder.Folder.Length == 0 ? stem : folder.Folder + "/" + stem;
            var media = new List<MediaReference>(files.Count);
            var issues = new List<CorpusIssue>();
            foreach (var (path, modality) in files)
            {
                var first = media.Find(reference => reference.Modality == modality);
                if (first is null)
                {
                    media.Add(new MediaReference(modality, path));
                    continue;
                }

                issues.Add(new CorpusIssue(id, path,
                    $"entry '{id}' has a second {modality.ToName()} file '{path}'; only '{first.Location}' is used: "
                    + "rename or remove one of them"));
            }

            if (!ids.Add(id))
            {
                issues.Insert(0, new CorpusIssue(id, media[0].Source,
                    $"entry '{id}' was listed twice; the first listing is used: check that the store lists files in ordinal order"));
            }
            else
            {
                yield return PlanItem.Of(new CorpusEntry(id, media));
            }

            foreach (var issue in issues)
            {
                yield return PlanItem.Of(issue);
            }
        }
    }

    private static bool IsSelfOrAncestor(string ancestor, string folder) =>
        ancestor.Length == 0
        || folder == ancestor
        || folder.StartsWith(ancestor + "/", StringComparison.Ordinal);

    /// <summary>The mapped files of one folder, grouped by stem.</summary>
    private sealed class FolderFiles(string folder)
    {
        public string Folder { get; } = folder;

        public Dictionary<string, List<(string Path, Modality Modality)>> Stems { get; } = new(StringComparer.Ordinal);

        public void Add(string stem, string path, Modality modality)
        {
            if (!Stems.TryGetValue(stem, out var files))
            {
                files = [];
                Stems.Add(stem, files);
            }

            files.Add((path, modality));
        }
    }
}
