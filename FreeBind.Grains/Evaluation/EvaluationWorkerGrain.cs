using FreeBind.Media;
using FreeBind.Storage;

namespace FreeBind.Evaluation;

/// <summary>Loads one gallery partition and runs <see cref="RetrievalPartition"/>'s two passes on it.</summary>
public sealed class EvaluationWorkerGrain : Grain, IEvaluationWorkerGrain
{
    private RetrievalPartition? _partition;
    private PartitionScanRequest? _loaded;

    /// <inheritdoc />
    public async Task<RelevantScoresPart> ScoreRelevantAsync(PartitionScanRequest request, CancellationToken cancellationToken)
    {
        var partition = await LoadAsync(request, cancellationToken);
        return new RelevantScoresPart
        {
            GallerySize = partition.GallerySize,
            Relevant = partition.ScoreRelevant().Select(EvaluationWire.ToWire).ToList(),
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<QueryScanPart>> ScanAsync(
        PartitionScanRequest request, IReadOnlyList<ScoredIds> relevantScores, CancellationToken cancellationToken)
    {
        var partition = await LoadAsync(request, cancellationToken);
        var relevant = relevantScores.Select(EvaluationWire.FromWire).ToList();
        var scans = partition.Scan(request.K, relevant, cancellationToken);

        // The partition is not needed after the second pass.
        DeactivateOnIdle();
        return scans.Select(EvaluationWire.ToWire).ToList();
    }

    private async Task<RetrievalPartition> LoadAsync(PartitionScanRequest request, CancellationToken cancellationToken)
    {
        if (_partition is not null && _loaded == request)
        {
            return _partition;
        }

        var store = BlobStoreFactory.Open(request.Embeddings);
        var gallery = await EmbeddingMatrixReader.ReadShardsAsync(store, request.GalleryShards, cancellationToken);
        EmbeddingMatrix queries;
        if (request.QueryIds.Count > 0)
        {
            queries = new EmbeddingMatrix(request.QueryIds, gallery.Dimension, request.QueryValues);
        }
        else
        {
            queries = await EmbeddingMatrixReader.ReadAsync(store, request.Space, ModalityNames.Parse(request.QueryModality), cancellationToken)
                ?? throw new InvalidDataException(
                    $"no {request.QueryModality} embeddings of space '{request.Space}' under {store.DisplayRoot}.");
        }

        var relevant = request.Relevant
            ?? Relevance.ByGroups(queries.Ids, gallery.Ids, EvaluationLabels.Parse(request.LabelsText, request.LabelsFormat, "labels"));
        _partition = new RetrievalPartition(queries, gallery, relevant);
        _loaded = request;
        return _partition;
    }
}
