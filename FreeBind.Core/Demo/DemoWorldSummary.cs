namespace FreeBind.Demo;

/// <summary>What <see cref="DemoWorldGenerator.Generate"/> wrote.</summary>
/// <param name="Folder">World folder (absolute).</param>
/// <param name="SpacesFile">spaces.json, for <c>freebind embed --spaces</c>.</param>
/// <param name="Corpus">Corpus folder, for <c>freebind embed --input</c>.</param>
/// <param name="Labels">labels.jsonl: one line per media file with its entry id, modality, concept and split.</param>
/// <param name="Concepts">The generated concepts, in id order.</param>
/// <param name="Files">Media files written under the corpus folder.</param>
/// <param name="Bytes">Total size of every file written.</param>
/// <param name="Elapsed">Wall-clock time of the generation.</param>
public sealed record DemoWorldSummary(
    string Folder,
    string SpacesFile,
    string Corpus,
    string Labels,
    IReadOnlyList<DemoConcept> Concepts,
    int Files,
    long Bytes,
    TimeSpan Elapsed);
