using FreeBind.Storage;

namespace FreeBind.Corpus;

/// <summary>Opens a corpus from what the user typed: a folder, a manifest, tar shards or a blob
/// URI.</summary>
public static class CorpusFactory
{
    /// <summary>
    /// Detects the kind of <paramref name="input"/> and opens it without reading any media.
    /// </summary>
    /// <param name="input">
    /// A local folder (folder tree); a <c>*.jsonl</c>, <c>*.csv</c>, <c>*.tsv</c> or <c>*.parquet</c> file
    /// (manifest); a <c>*.tar</c> file or a brace pattern such as <c>shards-{00000..00099}.tar</c>
    /// or <c>{a,b}.tar</c> (WebDataset shards); or any of these as an <c>http(s)://</c> or
    /// <c>az://</c> blob URI. A blob URI ending in '/' or whose last segment has no extension is a
    /// folder tree.
    /// </param>
    /// <param name="options">Modalities, extensions and manifest columns to use.</param>
    /// <param name="openBlobStore">
    /// Opens a blob store rooted at a folder URI (no trailing '/', any SAS query kept). Needed for
    /// blob inputs, blob manifest roots and manifests that list absolute blob URIs; null otherwise.
    /// </param>
    /// <exception cref="ArgumentException">
    /// The input is of no supported kind, a local file or tar it names does not exist, a brace
    /// pattern is invalid, or a blob URI is given with no <paramref name="openBlobStore"/>.
    /// </exception>
    public static ICorpus Open(string input, CorpusOptions options, Func<string, IBlobStore>? openBlobStore = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(input);
        ArgumentNullException.ThrowIfNull(options);
        if (CompressedTarSuffixes.FirstOrDefault(suffix => CorpusPaths.WithoutQuery(input).EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) is { } compressed)
        {
            throw new ArgumentException(
                $"input '{CorpusPaths.WithoutQuery(input)}' names compressed tar shards ({compressed}), which are not read: " +
                "decompress them (for example gunzip, or zstd -d) and pass the .tar files or their pattern.",
                nameof(input));
        }

        // NOTE: ICorpus.Input keeps the input exactly as given, SAS query included, so callers must
        // cut the query before logging it. Sources carry no query, but a manifest's absolute blob
        // URI keeps its query in Location so that the blob can still be read.
        var blobs = new BlobStoreCache(openBlobStore);
        return CorpusPaths.IsBlobUri(input)
            ? OpenBlob(input, options, blobs)
            : OpenLocal(input, options, blobs);
    }

    private static ICorpus OpenLocal(string input, CorpusOptions options, BlobStoreCache blobs)
    {
        if (BraceExpansion.HasBraces(input) || IsTar(input))
        {
            var folders = new Dictionary<string, LocalFileSource>(StringComparer.Ordinal);
            var tars = new List<TarFile>();
            foreach (var path in BraceExpansion.Expand(input))
            {
                var full = Path.GetFullPath(path);
                if (!File.Exists(full))
                {
                    throw new ArgumentException(
                        $"tar '{full}' of input '{input}' not found: check the path and the range of the shard pattern.",
                        nameof(input));
                }

                var folder = Path.GetDirectoryName(full)!;
                if (!folders.TryGetValue(folder, out var source))
                {
                    source = new LocalFileSource(folder);
                    folders.Add(folder, source);
                }

                tars.Add(new TarFile(full, source, Path.GetFileName(full)));
            }

            return new TarCorpus(input, tars, options);
        }

        if (Directory.Exists(input))
        {
            return new FolderCorpus(input, new LocalFileSource(input), options);
        }

        if (FormatOf(input) is not { } format)
        {
            if (!File.Exists(input))
            {
                throw new ArgumentException(
                    $"input '{Path.GetFullPath(input)}' not found: check the path of the corpus folder, manifest or tar shards.",
                    nameof(input));
            }

            throw Unsupported(input);
        }

        var manifest = Path.GetFullPath(input);
        if (!File.Exists(manifest))
        {
            throw new ArgumentException($"manifest '{manifest}' not found: check the path.", nameof(input));
        }

        var manifestFolder = Path.GetDirectoryName(manifest)!;
        var manifestSource = new LocalFileSource(manifestFolder);
        var (root, localRoot) = OpenManifestRoot(options.ManifestRoot, manifestSource, manifestFolder, blobs);
        return new ManifestCorpus(input, manifestSource, Path.GetFileName(manifest), format, root, localRoot, blobs, options);
    }

    private static ICorpus OpenBlob(string input, CorpusOptions options, BlobStoreCache blobs)
    {
        var (path, query) = CorpusPaths.SplitQuery(input);
        if (BraceExpansion.HasBraces(path) || IsTar(path))
        {
            var tars = new List<TarFile>();
            foreach (var expanded in BraceExpansion.Expand(path))
            {
                var (folder, name) = CorpusPaths.SplitBlobUri(expanded + query);
                tars.Add(new TarFile(expanded, blobs.Get(folder), name));
            }

            return new TarCorpus(input, tars, options);
        }

        if (FormatOf(path) is { } format)
        {
            var (folder, name) = CorpusPaths.SplitBlobUri(input);
            var manifestSource = blobs.Get(folder);
            var (root, localRoot) = OpenManifestRoot(options.ManifestRoot, manifestSource, null, blobs);
            return new ManifestCorpus(input, manifestSource, name, format, root, localRoot, blobs, options);
        }

        var lastSegment = path.TrimEnd('/')[(path.TrimEnd('/').LastIndexOf('/') + 1)..];
        if (path.EndsWith('/') || !lastSegment.Contains('.', StringComparison.Ordinal))
        {
            return new FolderCorpus(input, blobs.Get(path.TrimEnd('/') + query), options);
        }

        throw Unsupported(path);
    }

    /// <summary>Opens the folder that relative manifest paths resolve against, and its full local
    /// path when local.</summary>
    private static (IFileSource Root, string? LocalRoot) OpenManifestRoot(
        string? manifestRoot, IFileSource manifestSource, string? manifestFolder, BlobStoreCache blobs)
    {
        if (manifestRoot is null)
        {
            return (manifestSource, manifestFolder);
        }

        if (CorpusPaths.IsBlobUri(manifestRoot))
        {
            var (path, query) = CorpusPaths.SplitQuery(manifestRoot);
            return (blobs.Get(path.TrimEnd('/') + query), null);
        }

        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(manifestRoot));
        return (new LocalFileSource(full), full);
    }

    private static readonly string[] CompressedTarSuffixes = [".tar.gz", ".tgz", ".tar.bz2", ".tar.xz", ".tar.zst"];

    private static bool IsTar(string path) => path.EndsWith(".tar", StringComparison.OrdinalIgnoreCase);

    private static ManifestFormat? FormatOf(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        return extension switch
        {
            ".jsonl" => ManifestFormat.Jsonl,
            ".csv" or ".tsv" => ManifestFormat.Csv,
            ".parquet" => ManifestFormat.Parquet,
            _ => null,
        };
    }

    private static ArgumentException Unsupported(string input) =>
        new($"input '{input}' is not a supported corpus: give a folder, a manifest (*.jsonl, *.csv, *.tsv, *.parquet), "
            + "WebDataset tar shards (*.tar, or a pattern like shards-{00000..00099}.tar), "
            + "or one of these as an https:// or az:// blob URI.", nameof(input));
}
