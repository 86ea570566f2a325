using FreeBind.Corpus;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

public sealed class ShardPlanningTests
{
    /// <summary>Opens a JSONL manifest of seven text entries (e0..e6) with one invalid line after
    /// e4.</summary>
    private static ICorpus OpenSample(TempFolder folder)
    {
        var lines = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            lines.Add($$"""{"id": "e{{i}}", "text": "t{{i}}"}""");
            if (i == 4)
            {
                lines.Add("{broken");
            }
        }

        return CorpusFactory.Open(folder.Write("m.jsonl", string.Join('\n', lines)), new CorpusOptions());
    }

    [Theory]
    [InlineData(1, 7)]
    [InlineData(3, 3)]
    [InlineData(100, 1)]
    public async Task ShardsAreBoundedAndNumbered(int shardSize, int expectedShards)
    {
        using var folder = new TempFolder();
        var corpus = OpenSample(folder);

        var shards = await PlanAllAsync(corpus, shardSize);

        Assert.Equal(expectedShards, shards.Count);
        Assert.Equal(Enumerable.Range(0, expectedShards), shards.Select(s => s.Index));
        Assert.All(shards, s => Assert.InRange(s.Entries.Count, 1, shardSize));
        Assert.Equal(Enumerable.Range(0, 7).Select(i => $"e{i}"), Entries(shards).Select(e => e.Id));
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(3, 1)]
    [InlineData(100, 0)]
    public async Task IssueStaysWithPrecedingEntries(int shardSize, int expectedShard)
    {
        using var folder = new TempFolder();
        var corpus = OpenSample(folder);

        var shards = await PlanAllAsync(corpus, shardSize);

        var withIssue = Assert.Single(shards, s => s.Issues.Count > 0);
        Assert.Equal(expectedShard, withIssue.Index);
        Assert.Equal("line 6", withIssue.Issues.Single().Id);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task PlanningIsDeterministic(int shardSize)
    {
        using var folder = new TempFolder();
        folder.Write("b/x.jpg", "x");
        folder.Write("b/x.txt", "x");
        folder.Write("a.jpg", "a");
        folder.Write("a.png", "a2");
        folder.Write("c/d/e.wav", "e");
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var first = await PlanAllAsync(corpus, shardSize);
        var second = await PlanAllAsync(corpus, shardSize);

        Assert.Equal(first.Count, second.Count);
        for (var i = 0; i < first.Count; i++)
        {
            Assert.Equal(first[i].Index, second[i].Index);
            Assert.Equal(first[i].Entries.Select(e => e.Id), second[i].Entries.Select(e => e.Id));
            Assert.Equal(first[i].Entries.SelectMany(e => e.Media), second[i].Entries.SelectMany(e => e.Media));
            Assert.Equal(first[i].Issues, second[i].Issues);
        }
    }

    [Fact]
    public async Task EmptyCorpusHasNoShards()
    {
        using var folder = new TempFolder();

        var shards = await PlanAllAsync(CorpusFactory.Open(folder.Path, new CorpusOptions()), 3);

        Assert.Empty(shards);
    }

    [Fact]
    public void ZeroShardSizeThrows()
    {
        using var folder = new TempFolder();
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        Assert.Throws<ArgumentOutOfRangeException>(() => corpus.PlanShardsAsync(0, Token));
    }
}
