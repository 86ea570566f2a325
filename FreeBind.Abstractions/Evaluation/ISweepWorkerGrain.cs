namespace FreeBind.Evaluation;

/// <summary>
/// Fuses and evaluates batches of sweep points. An activation keeps the loaded embeddings and
/// fusion runners while the request (apart from its points) stays the same.
/// </summary>
public interface ISweepWorkerGrain : IGrainWithStringKey
{
    /// <summary>Returns, per point, the results of every task.</summary>
    Task<IReadOnlyList<IReadOnlyList<EvaluationSummary>>> EvaluatePointsAsync(SweepPointsRequest request, CancellationToken cancellationToken);
}
