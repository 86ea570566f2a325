namespace FreeBind.Evaluation;

/// <summary>Retrieval metrics of one direction, e.g. text → audio.</summary>
/// <param name="Direction">Query modality and gallery modality, e.g. <c>text-&gt;audio</c>.</param>
/// <param name="Queries">Queries with at least one correct gallery item; the metrics average over these.</param>
/// <param name="SkippedQueries">Queries with no correct item in the gallery, left out of every metric.</param>
/// <param name="GallerySize">Gallery items.</param>
/// <param name="RecallAt1">Fraction of queries with a correct item at rank 1.</param>
/// <param name="RecallAt5">Fraction of queries with a correct item within the first 5.</param>
/// <param name="RecallAt10">Fraction of queries with a correct item within the first 10.</param>
/// <param name="MeanAveragePrecision">Mean over queries of average precision over all their correct items.</param>
public sealed record RetrievalMetrics(
    string Direction,
    int Queries,
    int SkippedQueries,
    int GallerySize,
    double RecallAt1,
    double RecallAt5,
    double RecallAt10,
    double MeanAveragePrecision);
