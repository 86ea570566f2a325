using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;
using FreeBind.Evaluation.Search;
using FreeBind.Storage;

using Microsoft.Extensions.Options;

namespace FreeBind.Evaluation;

/// <summary>Evaluates sweep points with a <see cref="FusedEvaluator"/> cached in the activation.</summary>
public sealed class SweepWorkerGrain(IOptions<EncoderOptions> options) : Grain, ISweepWorkerGrain
{
    private FusedEvaluator? _evaluator;
    private SweepPointsRequest? _loaded;

    /// <inheritdoc />
    public async Task<IReadOnlyList<IReadOnlyList<EvaluationSummary>>> EvaluatePointsAsync(
        SweepPointsRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var key = request with { Points = [] };
        if (_evaluator is null || _loaded != key)
        {
            _evaluator?.Dispose();
            var file = BondFile.Parse(request.BondsJson, request.BondsBaseDirectory, ProjectorSetFiles.Load);
            _evaluator = await FusedEvaluator.CreateAsync(
                file,
                request.Profile,
                BlobStoreFactory.Open(request.Embeddings),
                request.Tasks.Select(EvaluationTask.Parse).ToList(),
                EvaluationLabels.Parse(request.LabelsText, request.LabelsFormat, "labels"),
                new FusionRunnerOptions
                {
                    Provider = options.Value.Provider,
                    DeviceId = options.Value.DeviceId,
                    IntraOpThreads = options.Value.IntraOpThreads,
                },
                cancellationToken);
            _loaded = key;
        }

        var evaluator = _evaluator;
        var results = new IReadOnlyList<EvaluationSummary>[request.Points.Count];
        await Task.Run(
            () => Parallel.For(
                0,
                request.Points.Count,
                new ParallelOptions { CancellationToken = cancellationToken },
                i => results[i] = evaluator.Evaluate(request.Points[i], cancellationToken).Select(EvaluationWire.ToWire).ToList()),
            cancellationToken);
        return results;
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _evaluator?.Dispose();
        _evaluator = null;
        return base.OnDeactivateAsync(reason, cancellationToken);
    }
}
