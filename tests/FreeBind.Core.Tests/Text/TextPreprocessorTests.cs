using System.Text;

using FreeBind.Media;
using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class TextPreprocessorTests
{
    private static readonly ClipTextTokenizer NoMergesClip =
        ClipTextTokenizer.FromMergesList(TextFixtures.PathOf("clip_no_merges.txt"));

    private static TextPreprocessor ClipPreprocessor(int contextLength = 77) =>
        new(NoMergesClip, contextLength, padToContextLength: true);

    private static long[] Ids(PreprocessedItem item) => item.Inputs[0].Int64s!;

    private static PreprocessedItem Run(TextPreprocessor preprocessor, string text) =>
        preprocessor.Preprocess(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Preprocess_FramesWithStartAndEnd()
    {
        var item = Run(ClipPreprocessor(), "a b");

        var ids = Assert.Single(item.Inputs);
        Assert.Equal("input_ids", ids.Name);
        Assert.Equal([4], ids.Shape);
        Assert.Equal([512L, 320, 321, 513], ids.Int64s!);
        Assert.Null(ids.Floats);
        Assert.Equal(0, ids.PadValue);
        Assert.Empty(item.Warnings);
    }

    [Fact]
    public void Preprocess_EndTokenIsArgmax()
    {
        // CLIP-style encoders locate <|endoftext|> by argmax over the ids.
        var ids = Ids(Run(ClipPreprocessor(), "a photo of a 🐶"));

        Assert.Equal(ids.Length - 1, Array.IndexOf(ids, ids.Max()));
    }

    [Fact]
    public void Preprocess_TruncatesLongText()
    {
        // 100 single-letter words: 102 tokens with start and end.
        var text = string.Join(' ', Enumerable.Repeat("a", 100));

        var item = Run(ClipPreprocessor(), text);

        var ids = Ids(item);
        Assert.Equal(77, ids.Length);
        Assert.Equal(512, ids[0]);
        Assert.All(ids[1..76], id => Assert.Equal(320, id));
        Assert.Equal(513, ids[76]);
        Assert.Equal(["text truncated from 102 to 77 tokens"], item.Warnings);
    }

    [Fact]
    public void Preprocess_ExactLengthIsNotTruncated()
    {
        var item = Run(ClipPreprocessor(), string.Join(' ', Enumerable.Repeat("a", 75)));

        Assert.Equal(77, Ids(item).Length);
        Assert.Equal(513, Ids(item)[76]);
        Assert.Empty(item.Warnings);
    }

    [Fact]
    public void Preprocess_OneOverIsTruncated()
    {
        var item = Run(ClipPreprocessor(), string.Join(' ', Enumerable.Repeat("a", 76)));

        Assert.Equal(77, Ids(item).Length);
        Assert.Equal(["text truncated from 78 to 77 tokens"], item.Warnings);
    }

    [Fact]
    public void Preprocess_ContextTwoKeepsOnlySpecials()
    {
        var item = Run(ClipPreprocessor(contextLength: 2), "a b c");

        Assert.Equal([512L, 513], Ids(item));
        Assert.Equal(["text truncated from 5 to 2 tokens"], item.Warnings);
    }

    [Fact]
    public void Preprocess_StripsBom()
    {
        var withBom = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("a b")).ToArray();

        Assert.Equal(Ids(Run(ClipPreprocessor(), "a b")), Ids(ClipPreprocessor().Preprocess(withBom)));
    }

    [Fact]
    public void Preprocess_InvalidUtf8NamesByte()
    {
        var bytes = Encoding.UTF8.GetBytes("a photo of a cat ").Concat(new byte[] { 0xC3, 0x28 }).ToArray();

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Equal("decode", ex.Stage);
        Assert.Equal("text is not valid UTF-8 at byte 17: re-encode the file as UTF-8", ex.Message);
    }

    [Fact]
    public void Preprocess_InvalidUtf8AfterBomCountsBom()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF, (byte)'a', 0xFF };

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Contains("at byte 4:", ex.Message);
    }

    [Fact]
    public void Preprocess_TruncatedSequenceAtEndIsInvalid()
    {
        var bytes = Encoding.UTF8.GetBytes("ab").Concat(new byte[] { 0xE6, 0x97 }).ToArray();

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Equal("decode", ex.Stage);
        Assert.Contains("at byte 2:", ex.Message);
    }

    [Theory]
    [InlineData("utf-16LE")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32LE")]
    [InlineData("utf-32BE")]
    public void Preprocess_DecodesUnicodeWithBom(string encodingName)
    {
        const string Text = "a photo of a café \U0001F431";
        Encoding encoding = Encoding.GetEncoding(encodingName);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes(Text)];

        Assert.NotEmpty(encoding.GetPreamble());
        Assert.Equal(Ids(Run(ClipPreprocessor(), Text)), Ids(ClipPreprocessor().Preprocess(bytes)));
    }

    [Fact]
    public void Preprocess_Utf16LoneSurrogateNamesByte()
    {
        // BOM, "a", then a high surrogate followed by "b" instead of a low surrogate.
        byte[] bytes = [0xFF, 0xFE, 0x61, 0x00, 0x3D, 0xD8, 0x62, 0x00];

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Equal("decode", ex.Stage);
        Assert.Equal(
            "text starts with a UTF-16LE byte order mark but is not valid UTF-16LE at byte 4 " +
            "(an unpaired surrogate): re-encode the file as UTF-8",
            ex.Message);
    }

    [Fact]
    public void Preprocess_Utf16OddLengthIsInvalid()
    {
        byte[] bytes = [0xFE, 0xFF, 0x00, 0x61, 0x00];

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Equal("decode", ex.Stage);
        Assert.StartsWith(
            "text starts with a UTF-16BE byte order mark but is not valid UTF-16BE at byte 4 (an odd number of bytes)",
            ex.Message);
    }

    [Fact]
    public void Preprocess_Utf32InvalidScalarNamesByte()
    {
        byte[] bytes = [0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x61, 0x00, 0x11, 0x00, 0x00];

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Equal("decode", ex.Stage);
        Assert.StartsWith(
            "text starts with a UTF-32BE byte order mark but is not valid UTF-32BE at byte 8 (the value 0x00110000",
            ex.Message);
    }

    [Fact]
    public void Preprocess_Utf16WithoutBomIsUtf8()
    {
        byte[] bytes = Encoding.Unicode.GetBytes("café");

        var ex = Assert.Throws<MediaException>(() => ClipPreprocessor().Preprocess(bytes));

        Assert.Equal("text is not valid UTF-8 at byte 6: re-encode the file as UTF-8", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("\uFEFF")]
    public void Preprocess_EmptyTextThrows(string text)
    {
        var ex = Assert.Throws<MediaException>(() => Run(ClipPreprocessor(), text));

        Assert.Equal("preprocess", ex.Stage);
        Assert.StartsWith("text is empty", ex.Message);
    }

    [Fact]
    public void Preprocess_ControlOnlyBertTextThrows()
    {
        var bert = new TextPreprocessor(BertTextTokenizer.FromVocab(TextFixtures.MiniLmVocabPath), 256, false);

        var ex = Assert.Throws<MediaException>(() => Run(bert, "\u0001\u0002"));

        Assert.Equal("preprocess", ex.Stage);
        Assert.StartsWith("text is empty after normalization", ex.Message);
    }

    [Fact]
    public void Preprocess_BertOutputsMaskAndTypes()
    {
        var bert = new TextPreprocessor(
            BertTextTokenizer.FromVocab(TextFixtures.MiniLmVocabPath),
            contextLength: 256,
            padToContextLength: false,
            attentionMaskName: "attention_mask",
            tokenTypeIdsName: "token_type_ids");

        var item = Run(bert, "Hello, World!");

        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], item.Inputs.Select(i => i.Name));
        Assert.Equal([101L, 7592, 1010, 2088, 999, 102], item.Inputs[0].Int64s!);
        Assert.Equal([1L, 1, 1, 1, 1, 1], item.Inputs[1].Int64s!);
        Assert.Equal(new long[6], item.Inputs[2].Int64s);
        Assert.All(item.Inputs, input => Assert.Equal([6], input.Shape));
        Assert.All(item.Inputs, input => Assert.Equal(0, input.PadValue));
    }

    [Fact]
    public void Preprocess_BertTruncationKeepsSep()
    {
        var bert = new TextPreprocessor(BertTextTokenizer.FromVocab(TextFixtures.MiniLmVocabPath), 5, false);

        var item = Run(bert, "a photo of a cat");

        Assert.Equal([101L, 1037, 6302, 1997, 102], Ids(item));
        Assert.Equal(["text truncated from 7 to 5 tokens"], item.Warnings);
    }

    [Fact]
    public void Preprocess_RobertaPadsWithOne()
    {
        var roberta = new TextPreprocessor(TextFixtures.Roberta(), 77, true, attentionMaskName: "attention_mask");

        var item = Run(roberta, "a photo of a cat");

        Assert.Equal(1, item.Inputs[0].PadValue);
        Assert.Equal(0, item.Inputs[1].PadValue);
        Assert.Equal(0, Ids(item)[0]);
        Assert.Equal(2, Ids(item)[^1]);
    }

    [Fact]
    public void Preprocess_PadTokenIdOverride()
    {
        var preprocessor = new TextPreprocessor(NoMergesClip, 77, true, padTokenId: 513);

        Assert.Equal(513, preprocessor.PadTokenId);
        Assert.Equal(513, Run(preprocessor, "a").Inputs[0].PadValue);
    }

    [Fact]
    public void Preprocess_ParallelMatchesSequential()
    {
        var preprocessor = new TextPreprocessor(TextFixtures.Clip(), 77, true);
        var texts = Enumerable.Range(0, 3000)
            .Select(i => $"a photo of {i % 13} cats and {i % 11} dogs, café 東京 🐶 #{i}")
            .ToArray();
        var expected = texts.Select(t => Ids(Run(preprocessor, t))).ToArray();

        var actual = new long[texts.Length][];
        Parallel.For(0, texts.Length, i => actual[i] = Ids(Run(preprocessor, texts[i])));

        Assert.Equal(expected, actual);
    }
}
