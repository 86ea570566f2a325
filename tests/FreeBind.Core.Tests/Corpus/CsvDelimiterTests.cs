using FreeBind.Corpus;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

/// <summary>CSV manifests separated by semicolons or tabs.</summary>
public sealed class CsvDelimiterTests
{
    [Theory]
    [InlineData("m.csv", ';')]
    [InlineData("m.csv", '\t')]
    [InlineData("m.csv", ',')]
    [InlineData("m.tsv", '\t')]
    public async Task DelimiterDetectedFromHeader(string name, char delimiter)
    {
        using var folder = new TempFolder();
        folder.Write("media/a.jpg", "image a");
        var d = delimiter;
        var manifest = folder.Write(name,
            $"id{d}text{d}image\n1{d}first row{d}media/a.jpg\n2{d}\"quoted {d} delimiter, and comma; semicolon\"{d}\n");

        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());
        var shards = await PlanAllAsync(corpus, 100);

        Assert.Empty(Issues(shards));
        var entries = Entries(shards);
        Assert.Equal(["1", "2"], entries.Select(e => e.Id));
        Assert.Equal("first row", entries[0].Media[0].InlineText);
        Assert.Equal("image a", await ReadTextAsync(corpus, entries[0].Media[1]));
        Assert.Equal($"quoted {d} delimiter, and comma; semicolon", entries[1].Media.Single().InlineText);
    }

    [Fact]
    public async Task TsvExtensionChoosesTab()
    {
        using var folder = new TempFolder();
        // Two tabs and two commas tie in the header, so only the .tsv extension chooses the tab.
        var manifest = folder.Write("m.tsv", "id\ttext\tx,y,z\n1\thello\ta,b,c\n");

        var shards = await PlanAllAsync(CorpusFactory.Open(manifest, new CorpusOptions()), 100);

        Assert.Empty(Issues(shards));
        Assert.Equal("hello", Entries(shards).Single().Media.Single().InlineText);
    }

    [Fact]
    public async Task FieldCountErrorNamesDelimiter()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.csv", "id;text\n1;a;b\n");

        var shards = await PlanAllAsync(CorpusFactory.Open(manifest, new CorpusOptions()), 100);

        var issue = Assert.Single(Issues(shards));
        Assert.Contains("quote fields that contain the delimiter ';' (semicolon)", issue.Message, StringComparison.Ordinal);
    }
}
