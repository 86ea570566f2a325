using FreeBind.Evaluation;
using FreeBind.Media;

namespace FreeBind.Tests.Evaluation;

public sealed class RetrievalMetricsTests
{
    private static EmbeddingMatrix Matrix(params (string Id, float X, float Y)[] rows) =>
        new(rows.Select(r => r.Id).ToList(), 2, rows.SelectMany(r => new[] { r.X, r.Y }).ToArray());

    private static RetrievalResult Single(EmbeddingMatrix gallery, params string[] relevant) =>
        RetrievalEvaluator.Evaluate("q->g", Matrix(("q", 1, 0)), gallery, [relevant]);

    [Fact]
    public void TiedWrongItem_RanksBeforeCorrect()
    {
        var result = Single(Matrix(("a", 1, 0), ("b", 1, 0), ("c", 0, 1)), "b");

        Assert.Equal([2L], result.PerQuery[0].Ranks);
        Assert.Equal(0, result.Metrics.RecallAt1);
        Assert.Equal(1, result.Metrics.RecallAt5);
        Assert.Equal(0.5, result.Metrics.MeanAveragePrecision, 12);
    }

    [Fact]
    public void SeveralCorrect_AveragePrecisionOverAll()
    {
        var result = Single(Matrix(("g1", 0.9f, 0.1f), ("g2", 0.8f, 0.2f), ("g3", 0.7f, 0.3f), ("g4", 0.6f, 0.4f)), "g2", "g4");

        Assert.Equal([2L, 4L], result.PerQuery[0].Ranks);
        Assert.Equal(0, result.Metrics.RecallAt1);
        Assert.Equal(0.5, result.Metrics.MeanAveragePrecision, 12);
    }

    [Fact]
    public void CorrectItemsTied_TakeConsecutiveRanksAfterWrong()
    {
        var result = Single(Matrix(("g5", 1, 0), ("g6", 1, 0), ("g7", 1, 0), ("g8", 0, 1)), "g5", "g6");

        Assert.Equal([2L, 3L], result.PerQuery[0].Ranks);
        Assert.Equal((1 / 2.0 + 2 / 3.0) / 2, result.Metrics.MeanAveragePrecision, 12);
    }

    [Fact]
    public void QueryWithoutCorrectItem_IsSkippedAndCounted()
    {
        var result = RetrievalEvaluator.Evaluate(
            "q->g", Matrix(("q1", 1, 0), ("q2", 0, 1)), Matrix(("a", 1, 0), ("b", 0, 1)), [["a"], ["missing"]]);

        Assert.Equal(1, result.Metrics.Queries);
        Assert.Equal(1, result.Metrics.SkippedQueries);
        Assert.Equal(1, result.Metrics.RecallAt1);
        Assert.Empty(result.PerQuery[1].Ranks);
    }

    [Fact]
    public void TopK_OrdersByScoreThenId()
    {
        var result = Single(Matrix(("b", 1, 0), ("a", 1, 0), ("c", 0.5f, 0.5f), ("d", 0, 1)), "d");

        Assert.Equal(["a", "b", "c", "d"], result.PerQuery[0].TopK.Select(item => item.Id));
    }

    [Fact]
    public void RetrievalTask_BothDirections()
    {
        var embeddings = new Dictionary<Modality, EmbeddingMatrix>
        {
            [Modality.Text] = Matrix(("x", 1, 0), ("y", 0, 1)),
            [Modality.Audio] = Matrix(("x", 0.6f, 0.8f), ("y", 0, 1)),
        };

        var result = TaskEvaluator.Evaluate(
            EvaluationTask.Parse("retrieval:text-audio"), "s", embeddings, EvaluationLabels.Empty);

        Assert.Equal(1, result.Metrics["text->audio/R@1"]);
        Assert.Equal(0.5, result.Metrics["audio->text/R@1"]);
        Assert.Equal(0.75, result.Metrics["audio->text/mAP"], 12);
        Assert.Equal(0.75, result.Metrics["R@1"], 12);
        Assert.Equal(2, result.Counts["audio->text/queries"]);
    }

    [Fact]
    public void Labels_GroupItemsAcrossIds()
    {
        var labels = EvaluationLabels.Parse(
            "{\"id\":\"t1\",\"labels\":[\"g\"]}\n{\"id\":\"a1\",\"labels\":\"g\"}\n{\"id\":\"a2\",\"labels\":[\"g\",\"h\"]}\n",
            "jsonl",
            "labels.jsonl");

        var relevant = Relevance.ByGroups(["t1", "t2"], ["a1", "a2", "t2"], labels);

        Assert.Equal(["a1", "a2"], relevant[0]);
        Assert.Equal(["t2"], relevant[1]);
    }

    [Fact]
    public void CsvLabels_ParseLabelsAndClasses()
    {
        var labels = EvaluationLabels.Parse("id,labels,class\nclip-1,dog;bark,\np-dog,,dog\n\"a,b\",cat,\n", "csv", "labels.csv");

        Assert.Equal(["dog", "bark"], labels.ItemLabels["clip-1"]);
        Assert.Equal(["cat"], labels.ItemLabels["a,b"]);
        Assert.Equal("dog", labels.PromptClasses["p-dog"]);
    }

    [Fact]
    public void Labels_RowWithClassAndLabels_Throws()
    {
        var error = Assert.Throws<FormatException>(() =>
            EvaluationLabels.Parse("{\"id\":\"p\",\"class\":\"dog\",\"labels\":[\"x\"]}", "jsonl", "l.jsonl"));

        Assert.Contains("line 1", error.Message);
    }

    [Theory]
    [InlineData("retrieval:text-audio", "retrieval:text-audio")]
    [InlineData("classification:audio", "classification:audio-text")]
    [InlineData("classification:image-text", "classification:image-text")]
    public void Task_ParsesCanonicalName(string text, string expected) =>
        Assert.Equal(expected, EvaluationTask.Parse(text).Name);

    [Theory]
    [InlineData("retrieval:text")]
    [InlineData("retrieval:text-text")]
    [InlineData("ranking:text-audio")]
    [InlineData("classification:smell")]
    public void Task_InvalidName_Throws(string text) =>
        Assert.Throws<FormatException>(() => EvaluationTask.Parse(text));
}
