namespace FreeBind.Storage;

/// <summary>Checks the relative, '/'-separated paths that <see cref="IBlobStore"/> accepts.</summary>
internal static class BlobPath
{
    /// <summary>The form every path must have, quoted in error messages.</summary>
    public const string AcceptedForm =
        "a relative path of '/'-separated names such as 'shard-00001/embeddings.parquet', " +
        "with no leading '/', no '\\', no empty segment and no '.' or '..' segment";

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="path"/> names a file under the root.</summary>
    public static void Validate(string path, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(path, parameterName);

        if (path.Length == 0)
        {
            throw new ArgumentException($"Path is empty; expected {AcceptedForm}.", parameterName);
        }

        ValidatePrefix(path, parameterName);

        if (path.EndsWith('/'))
        {
            throw new ArgumentException($"Path '{path}' ends with '/' and so names a folder; expected {AcceptedForm}.", parameterName);
        }
    }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> unless <paramref name="prefix"/> is empty or the start
    /// of a valid path; a trailing '/' is allowed.
    /// </summary>
    public static void ValidatePrefix(string prefix, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(prefix, parameterName);

        if (prefix.StartsWith('/') || prefix.Contains('\\') || prefix.Contains('\0'))
        {
            throw new ArgumentException($"Path '{prefix}' is not relative or contains '\\'; expected {AcceptedForm}.", parameterName);
        }

        var segments = prefix.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var isLast = i == segments.Length - 1;
            if (segment is "." or ".." || (segment.Length == 0 && !isLast))
            {
                throw new ArgumentException($"Path '{prefix}' escapes the store's root or has an empty segment; expected {AcceptedForm}.", parameterName);
            }
        }
    }
}
