using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class ClipTextTokenizerTests
{
    // With no merges the vocabulary is the 256 byte characters (ids 0-255, in GPT-2's order:
    // bytes 33-126, 161-172, 174-255, then the rest), the same with "</w>" (256-511), then
    // <|startoftext|> = 512 and <|endoftext|> = 513.
    private static readonly ClipTextTokenizer NoMerges =
        ClipTextTokenizer.FromMergesList(TextFixtures.PathOf("clip_no_merges.txt"));

    public static IEnumerable<object[]> GoldenCases => TextFixtures.Golden("clip");

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void VocabJson_MatchesGolden(int index, string text, int[] expected)
    {
        Assert.True(index >= 0);
        Assert.Equal(expected, TextFixtures.Encode(TextFixtures.Clip(), text));
    }

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void MergesList_MatchesGolden(int index, string text, int[] expected)
    {
        Assert.True(index >= 0);
        var tokenizer = ClipTextTokenizer.FromMergesList(TextFixtures.PathOf("clip_bpe_simple_vocab.txt"));
        Assert.Equal(expected, TextFixtures.Encode(tokenizer, text));
    }

    [Fact]
    public void NoMerges_SpecialIdsFollowBytes()
    {
        Assert.Equal(512, NoMerges.StartId);
        Assert.Equal(513, NoMerges.EndId);
        Assert.Equal(0, NoMerges.PadId);
    }

    [Theory]
    [InlineData("a", new[] { 320 })] // 'a' = byte 97 -> index 64, +256 for "a</w>"
    [InlineData("A!", new[] { 320, 256 })] // lower-cased; "!" is byte 33 -> index 0
    [InlineData("ab", new[] { 64, 321 })] // only the last symbol of a piece carries </w>
    [InlineData("12", new[] { 272, 273 })] // each digit is its own piece
    [InlineData("é", new[] { 127, 358 })] // C3 A9: 0xC3 -> 106 + (195 - 174), 0xA9 -> 94 + (169 - 161)
    [InlineData("a\n\t  b", new[] { 320, 321 })] // whitespace only separates pieces
    [InlineData("it's", new[] { 72, 339, 6, 338 })] // "it" then the contraction "'s"
    [InlineData("<|endoftext|>", new[] { 513 })]
    public void NoMerges_HandComputedIds(string text, int[] expected)
    {
        var ids = new List<int>();
        NoMerges.EncodeContent(text, ids);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void Emoji_EncodesUtf8Bytes()
    {
        // U+1F436 is F0 9F 90 B6. F0 -> 106 + 66 = 172; 9F and 90 are not printable and map to
        // U+0100 + their rank among such bytes (after 0-32 and 127-160: 33 + 1 + 31 and 33 + 1 + 16);
        // B6 -> 106 + 8 = 114, with </w>.
        var ids = new List<int>();
        NoMerges.EncodeContent("🐶", ids);
        Assert.Equal([172, 188 + 65, 188 + 50, 256 + 114], ids);
    }

    [Fact]
    public void Normalize_CollapsesAndLowers()
    {
        Assert.Equal("tom & jerry", NoMerges.Normalize("  Tom &amp;amp;\u00A0 JERRY \r\n"));
    }

    [Fact]
    public void Normalize_DecomposedAccentEqualsComposed()
    {
        Assert.Equal(TextFixtures.Encode(NoMerges, "café"), TextFixtures.Encode(NoMerges, "cafe\u0301"));
    }
}
