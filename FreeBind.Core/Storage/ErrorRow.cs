namespace FreeBind.Storage;

/// <summary>One input that could not be embedded, as written to a shard's errors file.</summary>
/// <param name="Id">Corpus entry id.</param>
/// <param name="Source">Where the input came from.</param>
/// <param name="Stage">read, decode, preprocess, encode or plan.</param>
/// <param name="Message">What failed and what to do.</param>
public sealed record ErrorRow(string Id, string Source, string Stage, string Message);
