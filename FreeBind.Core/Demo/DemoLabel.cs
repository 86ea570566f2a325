namespace FreeBind.Demo;

/// <summary>One line of labels.jsonl: a media file of the demo corpus and its concept.</summary>
/// <param name="Id">Corpus entry id as the folder corpus forms it: the path under corpus/ without extension.</param>
/// <param name="Modality">image, text or audio.</param>
/// <param name="Concept">Concept id, such as <c>c07</c>.</param>
/// <param name="Split">train (unpaired items), eval (paired entries) or class (class prompts).</param>
/// <param name="Path">File path relative to the world folder.</param>
public sealed record DemoLabel(string Id, string Modality, string Concept, string Split, string Path);
