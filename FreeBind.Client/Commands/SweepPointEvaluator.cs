using System.Collections.Concurrent;
using System.Globalization;

using FreeBind.Evaluation;

namespace FreeBind.Client.Commands;

/// <summary>Evaluates sweep points on worker grains, splitting each batch over the workers, and caches every result.</summary>
internal sealed class SweepPointEvaluator(IClusterClient client, SweepPointsRequest template, string run, int workers)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<EvaluationResult>> _cache = new(StringComparer.Ordinal);

    /// <summary>Returns the results of every task at each point, evaluating only points not seen before.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<EvaluationResult>>> EvaluateAsync(
        IReadOnlyList<IReadOnlyList<double>> points, CancellationToken cancellationToken)
    {
        var pending = points.Where(p => !_cache.ContainsKey(Key(p))).DistinctBy(Key).ToList();
        var batches = Enumerable.Range(0, workers)
            .Select(w => pending.Where((_, i) => i % workers == w).ToList())
            .Where(batch => batch.Count > 0)
            .Select((batch, w) => (Batch: batch, Worker: w))
            .ToList();
        var answers = await Task.WhenAll(batches.Select(b =>
            client.GetGrain<ISweepWorkerGrain>($"{run}/{b.Worker}").EvaluatePointsAsync(
                template with { Points = b.Batch.Select(p => p.ToArray()).ToList() }, cancellationToken)));
        for (var b = 0; b < batches.Count; b++)
        {
            for (var i = 0; i < batches[b].Batch.Count; i++)
            {
                _cache[Key(batches[b].Batch[i])] = answers[b][i]
                    .Select(s => new EvaluationResult(s.Task, s.Space, s.Metrics, s.Counts))
                    .ToList();
            }
        }

        return points.Select(p => _cache[Key(p)]).ToList();
    }

    /// <summary>Returns the cached results of a point, or null when it was never evaluated.</summary>
    public IReadOnlyList<EvaluationResult>? Cached(IReadOnlyList<double> point) => _cache.GetValueOrDefault(Key(point));

    private static string Key(IReadOnlyList<double> point) =>
        string.Join(",", point.Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)));
}
