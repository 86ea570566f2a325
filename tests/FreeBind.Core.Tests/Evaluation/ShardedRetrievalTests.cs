using FreeBind.Evaluation;

namespace FreeBind.Tests.Evaluation;

public sealed class ShardedRetrievalTests
{
    // Coarse values (multiples of 0.25) make many exact ties; groups give several correct items per query.
    private static (EmbeddingMatrix Queries, EmbeddingMatrix Gallery, IReadOnlyList<IReadOnlyList<string>> Relevant) Data()
    {
        var random = new Random(7);
        const int dimension = 12;
        EmbeddingMatrix Make(string prefix, int count) => new(
            Enumerable.Range(0, count).Select(i => $"{prefix}{i:D3}").ToList(),
            dimension,
            Enumerable.Range(0, count * dimension).Select(_ => random.Next(-2, 3) * 0.25f).ToArray());

        var queries = Make("q", 37);
        var gallery = Make("g", 101);
        var relevant = Enumerable.Range(0, queries.Count)
            .Select(q => (IReadOnlyList<string>)gallery.Ids.Where((_, g) => g % 13 == q % 13).ToList())
            .ToList();
        return (queries, gallery, relevant);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Sharded_EqualsUnsharded(int partitions)
    {
        var (queries, gallery, relevant) = Data();

        var whole = RetrievalEvaluator.Evaluate("q->g", queries, gallery, relevant, 1);
        var split = RetrievalEvaluator.Evaluate("q->g", queries, gallery, relevant, partitions);

        Assert.Equal(whole.Metrics, split.Metrics);
        for (var q = 0; q < queries.Count; q++)
        {
            Assert.Equal(whole.PerQuery[q].Ranks, split.PerQuery[q].Ranks);
            Assert.Equal(whole.PerQuery[q].TopK, split.PerQuery[q].TopK);
        }
    }

    [Fact]
    public void Unsharded_EqualsBruteForceReference()
    {
        var (queries, gallery, relevant) = Data();

        var result = RetrievalEvaluator.Evaluate("q->g", queries, gallery, relevant, 1);

        var ties = 0;
        for (var q = 0; q < queries.Count; q++)
        {
            var correct = relevant[q].ToHashSet();
            var scored = gallery.Ids
                .Select((id, g) => (Id: id, Score: SimilarityKernel.Dot(queries.Row(q), gallery.Row(g))))
                .OrderByDescending(x => x.Score)
                .ThenBy(x => correct.Contains(x.Id) ? 1 : 0)
                .ThenBy(x => x.Id, StringComparer.Ordinal)
                .ToList();
            var expected = scored.Select((x, i) => (x.Id, Rank: i + 1L)).Where(x => correct.Contains(x.Id)).Select(x => x.Rank).ToList();
            ties += scored.GroupBy(x => x.Score).Count(g => g.Count() > 1);

            Assert.Equal(expected, result.PerQuery[q].Ranks);
            var top = scored.OrderByDescending(x => x.Score).ThenBy(x => x.Id, StringComparer.Ordinal).Take(10).Select(x => x.Id);
            Assert.Equal(top, result.PerQuery[q].TopK.Select(x => x.Id));
        }

        Assert.True(ties > 0, "the data should contain tied scores");
    }

    [Fact]
    public void Kernel_BlockScoresEqualPairwiseDot()
    {
        var (queries, gallery, _) = Data();
        var scores = new float[queries.Count * gallery.Count];

        SimilarityKernel.Scores(queries.Values, gallery.Values, queries.Dimension, scores);

        for (var q = 0; q < queries.Count; q++)
        {
            for (var g = 0; g < gallery.Count; g++)
            {
                Assert.Equal(SimilarityKernel.Dot(queries.Row(q), gallery.Row(g)), scores[q * gallery.Count + g]);
            }
        }
    }
}
