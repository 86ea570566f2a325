namespace FreeBind.Corpus;

/// <summary>A problem with one corpus entry found while planning, before any bytes are read.</summary>
/// <param name="Id">Entry id, or the manifest line/row number when no id could be read.</param>
/// <param name="Source">File, manifest row or tar member the problem came from.</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record CorpusIssue(string Id, string Source, string Message);
