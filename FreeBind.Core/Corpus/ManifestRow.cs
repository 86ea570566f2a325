namespace FreeBind.Corpus;

/// <summary>The fields of one manifest row, or why the row could not be read.</summary>
/// <param name="Number">1-based line number (JSONL, CSV) or row number (Parquet).</param>
/// <param name="Id">Entry id, or null when missing.</param>
/// <param name="Text">Inline text from the first text column whose value is not blank, or null.</param>
/// <param name="Image">Image path or URI, or null.</param>
/// <param name="Audio">Audio path or URI, or null.</param>
/// <param name="Error">Why the row is invalid, or null when it was read.</param>
/// <param name="ImageBytesColumn">Parquet column whose cell in this row contains the image bytes, or
/// null. When set, it wins over <paramref name="Image"/>.</param>
/// <param name="AudioBytesColumn">Parquet column whose cell in this row contains the audio bytes, or
/// null. When set, it wins over <paramref name="Audio"/>.</param>
internal sealed record ManifestRow(
    long Number,
    string? Id,
    string? Text,
    string? Image,
    string? Audio,
    string? Error = null,
    string? ImageBytesColumn = null,
    string? AudioBytesColumn = null)
{
    public static ManifestRow Invalid(long number, string error) => new(number, null, null, null, null, error);
}

/// <summary>The column names a manifest reader looks for, resolved from <see
/// cref="CorpusOptions"/>.</summary>
internal sealed record ManifestColumns(
    IReadOnlyList<string> Id, IReadOnlyList<string> Text, IReadOnlyList<string> Image, IReadOnlyList<string> Audio)
{
    public static ManifestColumns From(CorpusOptions options) =>
        new(options.IdColumns, options.TextColumns, options.ImageColumns, options.AudioColumns);

    /// <summary>Returns the first of <paramref name="candidates"/> that <paramref
    /// name="available"/> has (ignoring case), or null.</summary>
    public static string? Pick(IReadOnlyList<string> candidates, IEnumerable<string> available) =>
        PickAll(candidates, available).FirstOrDefault();

    /// <summary>Returns each of <paramref name="candidates"/> that <paramref name="available"/>
    /// has (ignoring case), in the order of the candidates.</summary>
    public static List<string> PickAll(IReadOnlyList<string> candidates, IEnumerable<string> available)
    {
        var names = available.ToList();
        var matches = new List<string>();
        foreach (var candidate in candidates)
        {
            var match = names.Find(name => string.Equals(name, candidate, StringComparison.OrdinalIgnoreCase));
            if (match is not null && !matches.Contains(match))
            {
                matches.Add(match);
            }
        }

        return matches;
    }

    /// <summary>Returns the first value that is not null, empty or white space, or null when
    /// there is none.</summary>
    public static string? FirstNonBlank(IEnumerable<string?> values) =>
        values.FirstOrDefault(value => !string.IsNullOrWhiteSpace(value));
}
