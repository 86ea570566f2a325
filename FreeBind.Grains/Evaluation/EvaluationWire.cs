namespace FreeBind.Evaluation;

/// <summary>Converts between the Core evaluation types and their wire forms.</summary>
internal static class EvaluationWire
{
    public static ScoredIds ToWire(IReadOnlyList<RankedItem> items) =>
        new() { Ids = items.Select(i => i.Id).ToList(), Scores = items.Select(i => i.Score).ToArray() };

    public static IReadOnlyList<RankedItem> FromWire(ScoredIds wire) =>
        wire.Ids.Select((id, i) => new RankedItem(id, wire.Scores[i])).ToList();

    public static QueryScanPart ToWire(QueryScan scan) => new()
    {
        QueryId = scan.QueryId,
        TopK = ToWire(scan.TopK),
        Relevant = ToWire(scan.Relevant.Select(r => new RankedItem(r.Id, r.Score)).ToList()),
        Higher = scan.Relevant.Select(r => r.Higher).ToArray(),
        TiedWrong = scan.Relevant.Select(r => r.TiedWrong).ToArray(),
    };

    public static QueryScan FromWire(QueryScanPart part) => new(
        part.QueryId,
        FromWire(part.TopK),
        part.Relevant.Ids.Select((id, i) => new RelevantCounts(id, part.Relevant.Scores[i], part.Higher[i], part.TiedWrong[i])).ToList());

    public static EvaluationSummary ToWire(EvaluationResult result) => new()
    {
        Task = result.Task,
        Space = result.Space,
        Metrics = result.Metrics.ToDictionary(),
        Counts = result.Counts.ToDictionary(),
    };
}
