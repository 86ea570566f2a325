using FreeBind.Corpus;
using FreeBind.Media;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

public sealed class GnuTarFixtureTests
{
    [Theory]
    [InlineData("gnu-long.tar")]
    [InlineData("pax-long.tar")]
    public async Task ReadsLongNamesFromGnuTar(string fixture)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Corpus", fixture);
        var corpus = CorpusFactory.Open(path, new CorpusOptions());
        var folder = string.Concat(Enumerable.Range(1, 6).Select(i => $"very-long-folder-name-{i}/"));

        var shards = await PlanAllAsync(corpus, 10);

        var entry = Assert.Single(Entries(shards));
        Assert.Empty(Issues(shards));
        Assert.Equal(folder + "sample", entry.Id);
        Assert.Equal("img", await ReadTextAsync(corpus, entry.Media.Single(m => m.Modality == Modality.Image)));
        Assert.Equal("long caption", await ReadTextAsync(corpus, entry.Media.Single(m => m.Modality == Modality.Text)));
    }
}
