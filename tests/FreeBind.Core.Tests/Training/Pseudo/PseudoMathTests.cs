using FreeBind.Media;
using FreeBind.Training.Pseudo;

namespace FreeBind.Tests.Training.Pseudo;

/// <summary>Top-k search, exact merge, softmax-weighted means, noise and data modes on hand-sized inputs.</summary>
public sealed class PseudoMathTests
{
    private static readonly MemoryBankPartitionPlan Plan = new(0, "u", "e", Modality.Text, 2, 2, []);

    [Fact]
    public void WeightedMean_MatchesHandComputation()
    {
        // Scores 0.9 and 0.8 at τ = 0.1: weights e^0 : e^-1 = 0.731059 : 0.268941.
        MemoryBankNeighbour[] neighbours = [new(0.9f, "a", [1f, 0f]), new(0.8f, "b", [0f, 1f])];

        var mean = PseudoEmbedding.WeightedMean(neighbours, 0.1f);

        var w1 = 1 / (1 + Math.Exp(-1));
        var w2 = 1 - w1;
        var norm = Math.Sqrt(w1 * w1 + w2 * w2);
        Assert.Equal(w1 / norm, mean[0], 5);
        Assert.Equal(w2 / norm, mean[1], 5);
        Assert.Equal(0.938508, mean[0], 5);
    }

    [Fact]
    public void PartitionSearch_MatchesBruteForceCosine()
    {
        var rows = new (string, float[], float[])[]
        {
            ("a", [1f, 0f], [1f, 0f]),
            ("b", [0.6f, 0.8f], [0f, 1f]),
            ("c", [0f, 2f], [0.6f, 0.8f]),
            ("d", [-1f, 0f], [0.8f, 0.6f]),
        };
        var partition = MemoryBankPartition.FromRows(Plan, rows);

        // Query (1, 1)/√2: cosines a 0.7071, b 0.9899, c 0.7071, d -0.7071.
        var result = partition.Search([1f, 1f], 1, 3)[0];

        Assert.Equal(["b", "a", "c"], result.Select(n => n.Id));
        Assert.Equal(1.4 / Math.Sqrt(2), result[0].Score, 5);
        Assert.Equal(Math.Sqrt(0.5), result[1].Score, 5);
        Assert.Equal([0f, 1f], result[0].Value);
    }

    [Fact]
    public void Merge_SameForOneTwoThreePartitions()
    {
        // Ties: ids x3, x1 and x2 share one vector, so ordering among them rests on the id.
        var random = new Random(3);
        var rows = new List<(string Id, float[] Retrieval, float[] Value)>();
        for (var i = 0; i < 12; i++)
        {
            rows.Add(($"r{i:D2}", [(float)random.NextDouble() - 0.5f, (float)random.NextDouble() - 0.5f], [i, 1f]));
        }

        rows.Insert(5, ("x3", [0.3f, 0.4f], [3f, 0f]));
        rows.Insert(1, ("x1", [0.3f, 0.4f], [1f, 0f]));
        rows.Add(("x2", [0.3f, 0.4f], [2f, 0f]));
        float[] queries = [0.6f, 0.8f, -0.2f, 0.9f, 1f, 0f];

        MemoryBankNeighbour[][] SearchIn(int partitions)
        {
            var size = (rows.Count + partitions - 1) / partitions;
            var locals = rows.Chunk(size)
                .Select(chunk => MemoryBankPartition.FromRows(Plan, chunk).Search(queries, 3, 4))
                .ToList();
            Assert.Equal(partitions, locals.Count);
            return MemoryBankMerge.MergeBatch(locals, 3, 4);
        }

        var one = SearchIn(1);
        Assert.Equal(["x1", "x2", "x3"], one[0].Take(3).Select(n => n.Id));
        foreach (var count in new[] { 2, 3 })
        {
            var other = SearchIn(count);
            for (var q = 0; q < 3; q++)
            {
                Assert.Equal(one[q].Select(n => n.Id), other[q].Select(n => n.Id));
                Assert.Equal(one[q].Select(n => n.Score), other[q].Select(n => n.Score));
            }
        }
    }

    [Fact]
    public void Noise_SeededAndRenormalised()
    {
        float[] vector = [0.6f, 0.8f, 0f];

        var first = PseudoEmbedding.AddNoise(vector, 0.1f, 7, Modality.Image, "q1");
        var again = PseudoEmbedding.AddNoise(vector, 0.1f, 7, Modality.Image, "q1");
        var otherSeed = PseudoEmbedding.AddNoise(vector, 0.1f, 8, Modality.Image, "q1");
        var none = PseudoEmbedding.AddNoise([3f, 4f, 0f], 0f, 7, Modality.Image, "q1");

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.NotEqual(vector, first);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 5);
        Assert.Equal([0.6f, 0.8f, 0f], none);
    }

    [Theory]
    [InlineData("mix", "image,text,audio", true)]
    [InlineData("A", "audio", false)]
    [InlineData("T", "text", false)]
    [InlineData("V", "image", false)]
    [InlineData("at", "text,audio", false)]
    [InlineData("AV", "image,audio", false)]
    [InlineData("TV", "image,text", false)]
    public void DataMode_PicksModalities(string name, string modalities, bool balanced)
    {
        var mode = PseudoDataMode.Parse(name);

        Assert.Equal(modalities, string.Join(",", mode.Modalities.Select(m => m.ToName())));
        Assert.Equal(balanced, mode.Balanced);
    }

    [Fact]
    public void DataMode_UnknownNameListsModes()
    {
        var exception = Assert.Throws<FormatException>(() => PseudoDataMode.Parse("VA+"));

        Assert.Contains("'VA+'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("mix, A (audio)", exception.Message, StringComparison.Ordinal);
    }
}
