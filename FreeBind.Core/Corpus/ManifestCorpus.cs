using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>File format of a manifest.</summary>
internal enum ManifestFormat
{
    Jsonl,
    Csv,
    Parquet,
}

/// <summary>
/// A JSONL, CSV or Parquet manifest with one row per entry: an id, inline text, and image and
/// audio paths relative to the manifest root or absolute blob URIs.
/// </summary>
/// <remarks>
/// Paths are checked without touching the files: a path that leaves the root becomes an issue
/// at planning, and a missing file or a link out of the root fails at read time. Duplicate ids
/// are found with an <see cref="IdSet"/> of 64-bit hashes, so the first row with an id wins.
/// </remarks>
internal sealed class ManifestCorpus(
    string input,
    IFileSource manifestSource,
    string manifestPath,
    ManifestFormat format,
    IFileSource root,
    string? localRoot,
    BlobStoreCache blobs,
    CorpusOptions options) : ICorpus
{
    private const string MissingHint = "check the manifest path";

    private readonly string manifestName = manifestPath[(manifestPath.LastIndexOf('/') + 1)..];

    private ParquetInlineMedia? inlineMedia;

    public string Input { get; } = input;

    public async Task<string> ComputeFingerprintAsync(CancellationToken cancellationToken)
    {
        var stream = await manifestSource.OpenReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var digest = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
            if (options.ManifestRoot is null)
            {
                return Convert.ToHexStringLower(digest);
            }

            // Another root makes the same manifest name other files, so the root joins the hash.
            var withRoot = System.Text.Encoding.UTF8.GetBytes($"{Convert.ToHexStringLower(digest)}\nroot {root.DisplayRoot}");
            return Convert.ToHexStringLower(SHA256.HashData(withRoot));
        }
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

        if (media.Column is not null)
        {
            return await ReadInlineAsync(media, cancellationToken).ConfigureAwait(false);
        }

        if (media.Location is null || media.Offset is not null)
        {
            throw new MediaException("read", $"media '{media.Source}' is not a file of manifest corpus '{Input}'");
        }

        if (CorpusPaths.IsBlobUri(media.Location))
        {
            return await blobs.ReadAsync(media.Location, "check the URI in the manifest", cancellationToken).ConfigureAwait(false);
        }

        return await root.ReadAllAsync(media.Location, MissingHint, cancellationToken).ConfigureAwait(false);
    }

    private Task<byte[]> ReadInlineAsync(MediaReference media, CancellationToken cancellationToken)
    {
        if (format != ManifestFormat.Parquet || media.Location != manifestPath || media.Row is not { } row || row < 0)
        {
            throw new MediaException("read",
                $"media '{media.Source}' is not a cell of Parquet manifest '{CorpusPaths.WithoutQuery(Input)}'");
        }

        var cells = LazyInitializer.EnsureInitialized(ref inlineMedia, () => new ParquetInlineMedia(manifestName, OpenSeekableAsync));
        return cells.ReadAsync(media.Column!, row, cancellationToken);
    }

    private async IAsyncEnumerable<PlanItem> PlanItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = new IdSet();
        var stream = await OpenSeekableAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var columns = ManifestColumns.From(options);
            var rows = format switch
            {
                ManifestFormat.Jsonl => JsonlManifestReader.ReadAsync(stream, columns, cancellationToken),
                ManifestFormat.Csv => CsvManifestReader.ReadAsync(stream, Delimiter, columns, cancellationToken),
                _ => ParquetManifestReader.ReadAsync(stream, manifestName, columns, cancellationToken),
            };

            await foreach (var row in rows.ConfigureAwait(false))
            {
                foreach (var item in Plan(row, ids))
                {
                    yield return item;
                }
            }
        }
    }

    /// <summary>Tab for a <c>.tsv</c> manifest, otherwise null so that the reader detects it.</summary>
    private char? Delimiter => manifestName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : null;

    private IEnumerable<PlanItem> Plan(ManifestRow row, IdSet ids)
    {
        var source = $"{manifestName}:{row.Number}";
        var rowLabel = format == ManifestFormat.Parquet ? $"row {row.Number}" : $"line {row.Number}";
        if (row.Error is not null)
        {
            // A row whose id was read keeps it in its error row, so every id can be traced.
            var issueId = string.IsNullOrWhiteSpace(row.Id) ? rowLabel : row.Id;
            yield return PlanItem.Of(new CorpusIssue(issueId, source, row.Error));
            yield break;
        }

        if (string.IsNullOrWhiteSpace(row.Id))
        {
            yield return PlanItem.Of(new CorpusIssue(rowLabel, source,
                $"{rowLabel} has no id: fill the '{options.IdColumns[0]}' column"));
            yield break;
        }

        var id = row.Id;
        if (!ids.Add(id))
        {
            yield return PlanItem.Of(new CorpusIssue(id, source,
                $"duplicate id '{id}' on {rowLabel}: the first row with it is used, this row is skipped"));
            yield break;
        }

        var media = new List<MediaReference>(3);
        var issues = new List<CorpusIssue>();
        if (row.Text is not null && options.Modalities.Contains(Modality.Text))
        {
            media.Add(new MediaReference(Modality.Text, null, InlineText: row.Text) { Source = source });
        }

        AddMedia(Modality.Image, row.Image, row.ImageBytesColumn);
        AddMedia(Modality.Audio, row.Audio, row.AudioBytesColumn);

        if (media.Count > 0)
        {
            yield return PlanItem.Of(new CorpusEntry(id, media));
        }
        else if (issues.Count == 0
            && row is { Text: null, ImageBytesColumn: null, AudioBytesColumn: null }
            && string.IsNullOrWhiteSpace(row.Image)
            && string.IsNullOrWhiteSpace(row.Audio))
        {
            yield return PlanItem.Of(new CorpusIssue(id, source,
                $"{rowLabel} has no text, image or audio: fill at least one of those columns"));
        }

        foreach (var issue in issues)
        {
            yield return PlanItem.Of(issue);
        }

        void AddMedia(Modality modality, string? path, string? bytesColumn)
        {
            if (!options.Modalities.Contains(modality))
            {
                return;
            }

            if (bytesColumn is not null)
            {
                media.Add(new MediaReference(modality, manifestPath, Column: bytesColumn, Row: row.Number - 1)
                {
                    Source = $"{source}#{bytesColumn}",
                });
                return;
            }

            // A blank path means no file, as an empty CSV cell does, and not a path to resolve.
            if (string.IsNullOrWhiteSpace(path))
            {
                return;
            }

            if (CorpusPaths.IsWebUrl(path))
            {
                issues.Add(new CorpusIssue(id, source,
                    $"{modality.ToName()} '{CorpusPaths.WithoutQuery(path)}' on {rowLabel} is a web URL, and FreeBind "
                    + "does not download web URLs: download the files and list their paths, or list blob URIs "
                    + "(https://<account>.blob.core.windows.net/<container>/<path>)"));
                return;
            }

            if (ResolvePath(path) is { } location)
            {
                var display = CorpusPaths.IsBlobUri(location) ? CorpusPaths.WithoutQuery(location) : location;
                media.Add(new MediaReference(modality, location) { Source = display });
                return;
            }

            issues.Add(new CorpusIssue(id, source,
                $"{modality.ToName()} path '{path}' on {rowLabel} leaves the corpus root '{root.DisplayRoot}': "
                + "use a path inside the root, or pass --manifest-root with a folder that contains it"));
        }
    }

    /// <summary>Returns the location to store for a manifest path, or null when it leaves the root.</summary>
    private string? ResolvePath(string path)
    {
        if (CorpusPaths.IsBlobUri(path))
        {
            return path;
        }

        if (Path.IsPathRooted(path))
        {
            if (localRoot is null)
            {
                return null;
            }

            var full = Path.GetFullPath(path);
            return CorpusPaths.IsUnder(full, localRoot) && full.Length > Path.TrimEndingDirectorySeparator(localRoot).Length
                ? Path.GetRelativePath(localRoot, full).Replace('\\', '/')
                : null;
        }

        return CorpusPaths.NormalizeRelative(path);
    }

    /// <summary>Opens the manifest; Parquet needs to seek, so a stream that cannot is copied to a
    /// temporary file.</summary>
    private async Task<Stream> OpenSeekableAsync(CancellationToken cancellationToken)
    {
        var stream = await manifestSource.OpenReadAsync(manifestPath, cancellationToken).ConfigureAwait(false);
        if (format != ManifestFormat.Parquet || stream.CanSeek)
        {
            return stream;
        }

        await using (stream.ConfigureAwait(false))
        {
            var copy = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
                1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            await stream.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            return copy;
        }
    }
}
