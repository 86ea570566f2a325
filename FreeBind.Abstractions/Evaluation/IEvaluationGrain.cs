namespace FreeBind.Evaluation;

/// <summary>Runs one evaluation task, sharding each gallery over <see cref="IEvaluationWorkerGrain"/>s and merging exactly.</summary>
public interface IEvaluationGrain : IGrainWithStringKey
{
    /// <summary>Evaluates the task and returns its metrics.</summary>
    Task<EvaluationSummary> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken);
}
