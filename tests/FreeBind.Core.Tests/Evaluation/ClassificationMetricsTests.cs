using FreeBind.Evaluation;

namespace FreeBind.Tests.Evaluation;

public sealed class ClassificationMetricsTests
{
    private static EmbeddingMatrix Matrix(params (string Id, float X, float Y)[] rows) =>
        new(rows.Select(r => r.Id).ToList(), 2, rows.SelectMany(r => new[] { r.X, r.Y }).ToArray());

    private static readonly EvaluationLabels Labels = EvaluationLabels.Parse(
        """
        {"id": "p-dog", "class": "dog"}
        {"id": "p-cat", "class": "cat"}
        {"id": "p-bird", "class": "bird"}
        {"id": "i1", "labels": ["dog"]}
        {"id": "i2", "labels": ["cat"]}
        {"id": "i3", "labels": ["dog", "cat", "fish"]}
        """,
        "jsonl",
        "labels.jsonl");

    private static readonly EmbeddingMatrix Prompts = Matrix(("p-dog", 1, 0), ("p-cat", 0, 1), ("p-bird", 0.6f, 0.8f), ("other", 1, 1));

    private static readonly EmbeddingMatrix Items = Matrix(("i1", 0.8f, 0.6f), ("i2", 0, 1), ("i3", 1, 0), ("i4", 0.6f, 0.8f));

    [Fact]
    public void HandComputed_AccuracyAndMap()
    {
        var metrics = ClassificationEvaluator.Evaluate(Items, Prompts, Labels);

        // i1's best class is bird (0.96): wrong; i2 → cat and i3 → dog are right.
        Assert.Equal(2 / 3.0, metrics.Accuracy, 12);

        // dog: i3 (1.0) and i1 (0.8) rank 1 and 2 → AP 1; cat: i2 rank 1, i3 rank 4 → AP 0.75.
        Assert.Equal((1 + 0.75) / 2, metrics.MeanAveragePrecision, 12);
    }

    [Fact]
    public void Counts_EmptyClassesAndUnlabelled()
    {
        var metrics = ClassificationEvaluator.Evaluate(Items, Prompts, Labels);

        Assert.Equal(3, metrics.Items);
        Assert.Equal(1, metrics.UnlabelledItems);
        Assert.Equal(2, metrics.Classes);
        Assert.Equal(1, metrics.EmptyClasses);
        Assert.Equal(1, metrics.ClassesWithoutPrompts);
    }

    [Fact]
    public void Prototypes_AverageAndNormalisePrompts()
    {
        var labels = EvaluationLabels.Parse("{\"id\":\"a\",\"class\":\"c\"}\n{\"id\":\"b\",\"class\":\"c\"}", "jsonl", "l");

        var prototypes = ClassificationEvaluator.Prototypes(Matrix(("a", 1, 0), ("b", 0, 1)), labels);

        Assert.Equal(["c"], prototypes.Ids);
        Assert.Equal(MathF.Sqrt(0.5f), prototypes.Values[0], 6);
        Assert.Equal(MathF.Sqrt(0.5f), prototypes.Values[1], 6);
    }

    [Fact]
    public void NoPromptListed_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            ClassificationEvaluator.Prototypes(Matrix(("x", 1, 0)), EvaluationLabels.Empty));
}
