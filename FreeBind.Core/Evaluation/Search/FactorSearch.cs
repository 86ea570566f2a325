using System.Globalization;

namespace FreeBind.Evaluation.Search;

/// <summary>
/// Coarse-to-fine maximisation of an objective over a vector of factors in [0, 1]: a coarse grid
/// (step 0.1), then a finer grid (step 0.02, ±0.1) around the coarse best.
/// </summary>
/// <remarks>
/// The objective receives batches of points so a caller can evaluate them in parallel (on the
/// cluster, for example). Each stage evaluates the full grid when it has at most
/// <see cref="FactorSearchOptions.MaxGridPoints"/> points, and otherwise searches one factor at a
/// time with the others fixed, cycling until no factor improves. A point is evaluated once. On
/// equal scores the point evaluated first is kept, so results are deterministic.
/// </remarks>
public static class FactorSearch
{
    /// <summary>Evaluates a batch of factor vectors; returns one score per vector, higher is better.</summary>
    public delegate Task<IReadOnlyList<double>> Objective(IReadOnlyList<IReadOnlyList<double>> points, CancellationToken cancellationToken);

    /// <summary>Runs the search.</summary>
    /// <param name="dimensions">Number of factors; at least 1.</param>
    /// <param name="objective">The objective.</param>
    /// <param name="options">Grid settings; null for the defaults.</param>
    /// <param name="start">Starting point of coordinate ascent (e.g. the bond file's factors); default 0.5 each.</param>
    /// <param name="cancellationToken">Stops between batches.</param>
    /// <exception cref="InvalidOperationException">The objective returned the wrong number of scores or a NaN.</exception>
    public static async Task<FactorSearchResult> RunAsync(
        int dimensions,
        Objective objective,
        FactorSearchOptions? options = null,
        IReadOnlyList<double>? start = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentNullException.ThrowIfNull(objective);
        options ??= new FactorSearchOptions();
        var state = new SearchState(objective);

        var coarseAxis = Axis(0, 1, options.CoarseStep);
        var initial = start?.Select(v => Nearest(coarseAxis, v)).ToArray() ?? Enumerable.Repeat(Nearest(coarseAxis, 0.5), dimensions).ToArray();
        if (initial.Length != dimensions)
        {
            throw new ArgumentException($"start has {initial.Length} factors, expected {dimensions}.", nameof(start));
        }

        var coarseAxes = Enumerable.Repeat(coarseAxis, dimensions).ToArray();
        var coarse = await SearchStageAsync(state, coarseAxes, initial, "coarse", options, cancellationToken).ConfigureAwait(false);

        var fineAxes = coarse.Select(center => Axis(
                Math.Max(0, center - options.FineRadius), Math.Min(1, center + options.FineRadius), options.FineStep, center))
            .ToArray();
        var fine = await SearchStageAsync(state, fineAxes, coarse, "fine", options, cancellationToken).ConfigureAwait(false);

        return new FactorSearchResult(fine, state.ScoreOf(fine), coarse, state.Points);
    }

    /// <summary>Returns grid values from <paramref name="low"/> to <paramref name="high"/> (inclusive) on the grid through <paramref name="anchor"/>.</summary>
    public static IReadOnlyList<double> Axis(double low, double high, double step, double anchor = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        var first = (int)Math.Ceiling(Math.Round((low - anchor) / step, 9));
        var last = (int)Math.Floor(Math.Round((high - anchor) / step, 9));
        return Enumerable.Range(first, last - first + 1).Select(i => Math.Round(anchor + i * step, 6)).ToList();
    }

    private static double Nearest(IReadOnlyList<double> axis, double value) => axis.MinBy(v => Math.Abs(v - value));

    private static async Task<double[]> SearchStageAsync(
        SearchState state, IReadOnlyList<double>[] axes, double[] start, string stage, FactorSearchOptions options,
        CancellationToken cancellationToken)
    {
        var gridSize = axes.Aggregate(1.0, (size, axis) => size * axis.Count);
        if (gridSize <= options.MaxGridPoints)
        {
            var grid = Product(axes);
            await state.EvaluateAsync(grid, stage, cancellationToken).ConfigureAwait(false);
            return state.BestOf(grid).ToArray();
        }

        var current = start.Select((value, i) => Nearest(axes[i], value)).ToArray();
        await state.EvaluateAsync([current], stage, cancellationToken).ConfigureAwait(false);
        for (var cycle = 0; cycle < options.MaxCycles; cycle++)
        {
            var improved = false;
            for (var d = 0; d < axes.Length; d++)
            {
                var line = axes[d].Select(value =>
                {
                    var point = (double[])current.Clone();
                    point[d] = value;
                    return (IReadOnlyList<double>)point;
                }).ToList();
                await state.EvaluateAsync(line, stage, cancellationToken).ConfigureAwait(false);
                var best = state.BestOf(line.Prepend(current).ToList());
                if (state.ScoreOf(best) > state.ScoreOf(current))
                {
                    current = best.ToArray();
                    improved = true;
                }
            }

            if (!improved)
            {
                break;
            }
        }

        return current;
    }

    private static List<IReadOnlyList<double>> Product(IReadOnlyList<double>[] axes)
    {
        var points = new List<IReadOnlyList<double>> { Array.Empty<double>() };
        foreach (var axis in axes)
        {
            points = points.SelectMany(prefix => axis.Select(value => (IReadOnlyList<double>)prefix.Append(value).ToArray())).ToList();
        }

        return points;
    }

    /// <summary>Evaluated points and their scores, keyed by the rounded values.</summary>
    private sealed class SearchState(Objective objective)
    {
        private readonly Dictionary<string, (double Score, int Order)> _scores = new(StringComparer.Ordinal);

        public List<SearchPoint> Points { get; } = [];

        public async Task EvaluateAsync(IReadOnlyList<IReadOnlyList<double>> points, string stage, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pending = points.Where(p => !_scores.ContainsKey(Key(p))).DistinctBy(Key).ToList();
            if (pending.Count == 0)
            {
                return;
            }

            var scores = await objective(pending, cancellationToken).ConfigureAwait(false);
            if (scores.Count != pending.Count)
            {
                throw new InvalidOperationException($"the objective returned {scores.Count} scores for {pending.Count} points.");
            }

            for (var i = 0; i < pending.Count; i++)
            {
                if (double.IsNaN(scores[i]))
                {
                    throw new InvalidOperationException($"the objective returned NaN at factors ({Key(pending[i])}).");
                }

                _scores[Key(pending[i])] = (scores[i], Points.Count);
                Points.Add(new SearchPoint(pending[i], scores[i], stage));
            }
        }

        public double ScoreOf(IReadOnlyList<double> point) => _scores[Key(point)].Score;

        // Highest score; on a tie the point evaluated first.
        public IReadOnlyList<double> BestOf(IReadOnlyList<IReadOnlyList<double>> points) =>
            points.OrderByDescending(ScoreOf).ThenBy(p => _scores[Key(p)].Order).First();

        private static string Key(IReadOnlyList<double> point) =>
            string.Join(",", point.Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)));
    }
}
