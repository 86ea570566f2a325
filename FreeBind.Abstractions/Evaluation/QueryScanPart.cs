namespace FreeBind.Evaluation;

/// <summary>One partition's scan of one query: local top-k and rank counts of every correct item.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.QueryScanPart")]
public sealed record QueryScanPart
{
    /// <summary>Query id.</summary>
    [Id(0)] public required string QueryId { get; init; }

    /// <summary>Local top-k, best first.</summary>
    [Id(1)] public required ScoredIds TopK { get; init; }

    /// <summary>Every correct item of the query (all partitions) with its score, in the order passed in.</summary>
    [Id(2)] public required ScoredIds Relevant { get; init; }

    /// <summary>Per correct item: items of this partition scoring strictly higher.</summary>
    [Id(3)] public required long[] Higher { get; init; }

    /// <summary>Per correct item: wrong items of this partition with exactly its score.</summary>
    [Id(4)] public required long[] TiedWrong { get; init; }
}
