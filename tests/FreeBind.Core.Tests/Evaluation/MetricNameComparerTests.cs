using FreeBind.Evaluation;
using FreeBind.Reporting;

namespace FreeBind.Tests.Evaluation;

public sealed class MetricNameComparerTests
{
    [Fact]
    public void Ranks_sort_as_numbers()
    {
        string[] metrics = ["R@10", "mAP", "R@5", "R@1", "acc@5", "acc@1", "R@x"];

        var sorted = metrics.Order(MetricNameComparer.Instance).ToArray();

        Assert.Equal(["R@1", "R@5", "R@10", "R@x", "acc@1", "acc@5", "mAP"], sorted);
    }

    [Fact]
    public void CompareTable_orders_ranks_numerically()
    {
        var metrics = new Dictionary<string, double> { ["R@10"] = 0.9, ["R@1"] = 0.5, ["R@5"] = 0.7 };
        var result = new EvaluationResult("retrieval:text-audio", "s", metrics, new Dictionary<string, long>());

        var table = EvaluationReportBuilder.CompareTable("t", [("base", [result])]);

        Assert.Equal(["R@1", "R@5", "R@10"], table.Rows.Select(row => row[1]));
    }
}
