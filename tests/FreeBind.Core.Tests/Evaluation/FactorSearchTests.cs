using FreeBind.Evaluation.Search;

namespace FreeBind.Tests.Evaluation;

public sealed class FactorSearchTests
{
    // A smooth bowl whose maximum sits on the fine grid but not on the coarse one.
    private static FactorSearch.Objective Bowl(double[] optimum, List<int>? batches = null) => (points, _) =>
    {
        batches?.Add(points.Count);
        return Task.FromResult<IReadOnlyList<double>>(
            points.Select(p => -p.Select((v, i) => (v - optimum[i]) * (v - optimum[i])).Sum()).ToList());
    };

    [Fact]
    public async Task FullGrid_FindsOptimumInRefinement()
    {
        var result = await FactorSearch.RunAsync(2, Bowl([0.34, 0.78]));

        Assert.Equal([0.3, 0.8], result.CoarseBest);
        Assert.Equal([0.34, 0.78], result.Best);
        Assert.Equal(0, result.BestScore, 12);
    }

    [Fact]
    public async Task CoordinateAscent_FindsOptimum()
    {
        var batches = new List<int>();
        var options = new FactorSearchOptions { MaxGridPoints = 100 };

        var result = await FactorSearch.RunAsync(3, Bowl([0.12, 0.96, 0.5], batches), options);

        Assert.Equal([0.12, 0.96, 0.5], result.Best);
        Assert.All(batches, size => Assert.True(size <= 11, $"batch of {size} points: expected one axis at a time"));
    }

    [Fact]
    public async Task Optimum_OnBoundary()
    {
        var result = await FactorSearch.RunAsync(1, Bowl([1.0]));

        Assert.Equal([1.0], result.Best);
        Assert.All(result.Points, p => Assert.InRange(p.Factors[0], 0, 1));
    }

    [Fact]
    public async Task EachPoint_EvaluatedOnce()
    {
        var result = await FactorSearch.RunAsync(2, Bowl([0.5, 0.5]));

        var keys = result.Points.Select(p => string.Join(",", p.Factors)).ToList();
        Assert.Equal(keys.Count, keys.Distinct().Count());
        // 121 coarse, 121 fine, 9 of them shared (0.4, 0.5, 0.6 on both axes).
        Assert.Equal(121 + 121 - 9, result.Points.Count);
    }

    [Fact]
    public async Task WrongScoreCount_Throws()
    {
        FactorSearch.Objective broken = (_, _) => Task.FromResult<IReadOnlyList<double>>([1.0]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => FactorSearch.RunAsync(2, broken));
    }

    [Fact]
    public void Axis_IncludesEnds()
    {
        Assert.Equal([0.3, 0.32, 0.34], FactorSearch.Axis(0.3, 0.34, 0.02, 0.3));
        Assert.Equal(11, FactorSearch.Axis(0, 1, 0.1).Count);
    }
}
