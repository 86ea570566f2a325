using FreeBind.Corpus;

namespace FreeBind.Tests.Corpus;

public sealed class BraceExpansionTests
{
    [Fact]
    public void ZeroPaddedRangeKeepsWidth()
    {
        var names = BraceExpansion.Expand("shards-{00000..00003}.tar");

        Assert.Equal(["shards-00000.tar", "shards-00001.tar", "shards-00002.tar", "shards-00003.tar"], names);
    }

    [Fact]
    public void UnpaddedRangeAndDescending()
    {
        Assert.Equal(["a8", "a9", "a10"], BraceExpansion.Expand("a{8..10}"));
        Assert.Equal(["3", "2", "1"], BraceExpansion.Expand("{3..1}"));
    }

    [Fact]
    public void CommaListAndProduct()
    {
        var names = BraceExpansion.Expand("/d/{a,b}-{0..1}.tar");

        Assert.Equal(["/d/a-0.tar", "/d/a-1.tar", "/d/b-0.tar", "/d/b-1.tar"], names);
    }

    [Theory]
    [InlineData("x{1..2")]
    [InlineData("x1..2}")]
    [InlineData("x{{1,2}}")]
    [InlineData("x{abc}")]
    public void InvalidPatternsThrow(string pattern)
    {
        var error = Assert.Throws<ArgumentException>(() => BraceExpansion.Expand(pattern));

        Assert.Contains(pattern, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainNameExpandsToItself()
    {
        Assert.Equal(["x.tar"], BraceExpansion.Expand("x.tar"));
    }
}
