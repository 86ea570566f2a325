using System.Net;

namespace FreeBind.Corpus;

/// <summary>Helpers for relative corpus paths and blob URIs.</summary>
internal static class CorpusPaths
{
    /// <summary>Returns true for <c>http://</c>, <c>https://</c> and <c>az://</c> URIs, which are
    /// read through a blob store.</summary>
    public static bool IsBlobUri(string value) =>
        value.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        || value.StartsWith("az://", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Returns true for an <c>http://</c> or <c>https://</c> URI that is not a blob endpoint: its
    /// host is not loopback and does not contain <c>.blob.</c>, the rule that BlobStoreFactory
    /// applies. FreeBind does not download such URLs.
    /// </summary>
    public static bool IsWebUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        var isLoopback = uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address));
        return !isLoopback && !uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Splits a URI into the part before '?' and the query (with its '?', or empty).</summary>
    public static (string Path, string Query) SplitQuery(string uri)
    {
        var mark = uri.IndexOf('?', StringComparison.Ordinal);
        return mark < 0 ? (uri, string.Empty) : (uri[..mark], uri[mark..]);
    }

    /// <summary>
    /// Splits a blob URI into its folder URI (no trailing '/', query kept so a SAS still applies)
    /// and the file name.
    /// </summary>
    public static (string FolderUri, string Name) SplitBlobUri(string uri)
    {
        var (path, query) = SplitQuery(uri);
        var slash = path.LastIndexOf('/');
        var schemeEnd = path.IndexOf("://", StringComparison.Ordinal) + 3;
        if (slash < schemeEnd)
        {
            throw new ArgumentException($"Blob URI '{path}' has no file name: give a URI like az://container/folder/file.", nameof(uri));
        }

        return (path[..slash] + query, path[(slash + 1)..]);
    }

    /// <summary>Returns the URI without its query, so no SAS token ends up in messages or outputs.</summary>
    public static string WithoutQuery(string uri) => SplitQuery(uri).Path;

    /// <summary>
    /// Normalizes a relative path to '/' separators with '.' and '..' segments resolved, or
    /// returns null when the path is rooted or climbs above its root.
    /// </summary>
    /// <param name="path">Relative path.</param>
    /// <param name="backslashIsSeparator">
    /// Whether '\' separates segments, as in a path written on Windows. Pass false for names that
    /// a Linux or macOS file system listed, where '\' is a legal character of a file name.
    /// </param>
    public static string? NormalizeRelative(string path, bool backslashIsSeparator = true)
    {
        var unified = backslashIsSeparator ? path.Replace('\\', '/') : path;
        if (unified.StartsWith('/') || Path.IsPathRooted(path))
        {
            return null;
        }

        var segments = new List<string>();
        foreach (var segment in unified.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    return null;
                }

                segments.RemoveAt(segments.Count - 1);
                continue;
            }

            segments.Add(segment);
        }

        return segments.Count == 0 ? null : string.Join('/', segments);
    }

    /// <summary>Returns true when <paramref name="fullPath"/> is <paramref name="root"/> or lies
    /// under it.</summary>
    public static bool IsUnder(string fullPath, string root)
    {
        var trimmedRoot = Path.TrimEndingDirectorySeparator(root);
        return fullPath.Equals(trimmedRoot, StringComparison.Ordinal)
            || fullPath.StartsWith(trimmedRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    /// <summary>Returns true when any '/'-separated segment of the path starts with a dot.</summary>
    public static bool IsHidden(string relativePath) =>
        relativePath.Split('/').Any(segment => segment.StartsWith('.'));
}
