using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class RobertaTextTokenizerTests
{
    public static IEnumerable<object[]> GoldenCases => TextFixtures.Golden("roberta");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Encode_MatchesGolden(int index, string text, int[] expected)
    {
        Assert.True(index >= 0);
        Assert.Equal(expected, TextFixtures.Encode(TextFixtures.Roberta(), text));
    }

    [Fact]
    public void SpecialIds_ComeFromVocab()
    {
        var tokenizer = TextFixtures.Roberta();

        Assert.Equal(0, tokenizer.StartId);
        Assert.Equal(2, tokenizer.EndId);
        Assert.Equal(1, tokenizer.PadId);
    }

    [Fact]
    public void Encode_KeepsCase()
    {
        var tokenizer = TextFixtures.Roberta();

        Assert.NotEqual(TextFixtures.Encode(tokenizer, "Cat"), TextFixtures.Encode(tokenizer, "cat"));
    }

    [Fact]
    public void Encode_SpaceIsByteG()
    {
        // Ids 4-259 are the byte characters in GPT-2's order; the space (byte 32) is the 33rd
        // non-printable byte, so "Ġ" is 4 + 188 + 32. "%" (byte 37) is index 4 and has no merges.
        var ids = new List<int>();
        TextFixtures.Roberta().EncodeContent("% %", ids);
        Assert.Equal([8, 224, 8], ids);
    }
}
