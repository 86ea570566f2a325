namespace FreeBind.Corpus;

/// <summary>One item of a corpus: an id and the media that share it (e.g. x.jpg and x.txt).</summary>
/// <param name="Id">Item id, unique in the corpus.</param>
/// <param name="Media">At most one reference per modality.</param>
public sealed record CorpusEntry(string Id, IReadOnlyList<MediaReference> Media);
