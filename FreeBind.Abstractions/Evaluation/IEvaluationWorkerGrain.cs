namespace FreeBind.Evaluation;

/// <summary>
/// Scans one gallery partition in the two passes of an exact sharded retrieval. The activation
/// keeps the loaded partition between the passes; call both on the same key.
/// </summary>
public interface IEvaluationWorkerGrain : IGrainWithStringKey
{
    /// <summary>Loads the partition and returns its size and, per query, the correct items it holds with their scores.</summary>
    Task<RelevantScoresPart> ScoreRelevantAsync(PartitionScanRequest request, CancellationToken cancellationToken);

    /// <summary>Scans the partition against every correct item's score (merged over all partitions).</summary>
    Task<IReadOnlyList<QueryScanPart>> ScanAsync(
        PartitionScanRequest request, IReadOnlyList<ScoredIds> relevantScores, CancellationToken cancellationToken);
}
