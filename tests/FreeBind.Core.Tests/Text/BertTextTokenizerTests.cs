using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class BertTextTokenizerTests
{
    private static readonly Lazy<BertTextTokenizer> Tokenizer =
        new(() => BertTextTokenizer.FromVocab(TextFixtures.MiniLmVocabPath));

    // Expected ids are line numbers in the uncased BERT vocab.txt shipped with all-MiniLM-L6-v2,
    // for the word pieces that Hugging Face's BertTokenizer produces.
    [Theory]
    [InlineData("a photo of a cat", new[] { 1037, 6302, 1997, 1037, 4937 })]
    [InlineData("Hello, World!", new[] { 7592, 1010, 2088, 999 })] // lower-cased, punctuation split
    [InlineData("Café NAÏVE", new[] { 7668, 15743 })] // accents stripped
    [InlineData("日本 東京", new[] { 1864, 1876, 1879, 1755 })] // one piece per CJK ideograph
    [InlineData("日本東京", new[] { 1864, 1876, 1879, 1755 })]
    [InlineData("don't", new[] { 2123, 1005, 1056 })]
    [InlineData("tokenization", new[] { 19204, 3989 })] // token ##ization
    [InlineData("123 3rd", new[] { 13138, 3822 })]
    [InlineData("😀", new[] { 100 })] // [UNK]
    [InlineData("hello\n\tworld  .", new[] { 7592, 2088, 1012 })]
    [InlineData("İstanbul", new[] { 9960 })]
    [InlineData("hello\tworld\rhello\u00A0world", new[] { 7592, 2088, 7592, 2088 })]
    [InlineData("a\u0001b\u200Bc", new[] { 5925 })] // control and format characters removed: "abc"
    [InlineData("dog😀", new[] { 100 })] // the emoji stays in the word, which becomes [UNK]
    [InlineData("a 😀 b", new[] { 1037, 100, 1038 })]
    [InlineData("日𠀀本", new[] { 1864, 100, 1876 })] // supplementary CJK ideograph split off
    [InlineData("$5 1+1 a^b", new[] { 1002, 1019, 1015, 1009, 1015, 1037, 1034, 1038 })] // ASCII symbols are punctuation
    [InlineData("€5 x×y ½ ☃", new[] { 1574, 2629, 1060, 26306, 2100, 1092, 100 })] // other symbols stay in words: € ##5, x ##× ##y
    [InlineData("hello [SEP] World[MASK]", new[] { 7592, 102, 2088, 103 })] // special tokens kept whole
    public void Encode_MatchesVocabIds(string text, int[] expected)
    {
        var ids = new List<int>();
        Tokenizer.Value.EncodeContent(text, ids);
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void Encode_LongWordIsUnknown()
    {
        // WordPiece gives up on words longer than 100 characters.
        var ids = new List<int>();
        Tokenizer.Value.EncodeContent(new string('a', 101) + " cat", ids);
        Assert.Equal([100, 4937], ids);
    }

    [Fact]
    public void SpecialIds_AreUncasedBert()
    {
        Assert.Equal(101, Tokenizer.Value.StartId);
        Assert.Equal(102, Tokenizer.Value.EndId);
        Assert.Equal(0, Tokenizer.Value.PadId);
    }

    [Fact]
    public void Encode_IsThreadSafe()
    {
        var texts = Enumerable.Range(0, 2000).Select(i => $"caption number {i}: a dog, a cat and café {i % 7}").ToArray();
        var expected = texts.Select(t => TextFixtures.Encode(Tokenizer.Value, t)).ToArray();

        var actual = new int[texts.Length][];
        Parallel.For(0, texts.Length, i => actual[i] = TextFixtures.Encode(Tokenizer.Value, texts[i]));

        Assert.Equal(expected, actual);
    }
}
