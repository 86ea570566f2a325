using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class BpePreTokenizersTests
{
    [Theory]
    [InlineData("hello world", new[] { "hello", " world" })]
    [InlineData("a  b", new[] { "a", " ", " b" })] // the last space of a run joins the next word
    [InlineData("a\n\nb", new[] { "a", "\n", "\n", "b" })]
    [InlineData("x  ", new[] { "x", "  " })] // trailing whitespace stays one piece
    [InlineData("don't", new[] { "don", "'t" })]
    [InlineData("x 's", new[] { "x", " '", "s" })] // the pattern tries contractions only without a space
    [InlineData("a 123!?", new[] { "a", " 123", "!?" })]
    [InlineData("𝐀𝐁 z", new[] { "𝐀𝐁", " z" })] // astral letters are letters
    public void SplitGpt2_Pieces(string text, string[] expected)
    {
        var pieces = new List<Range>();
        BpePreTokenizers.SplitGpt2(text, pieces);
        Assert.Equal(expected, pieces.Select(r => text[r]).ToArray());
    }

    [Theory]
    [InlineData("a  photo", new[] { "a", "photo" })]
    [InlineData("2024", new[] { "2", "0", "2", "4" })]
    [InlineData("!'s", new[] { "!'", "s" })]
    [InlineData("it's<|endoftext|>", new[] { "it", "'s", "<|endoftext|>" })]
    [InlineData("🐶🐱 x", new[] { "🐶🐱", "x" })]
    public void SplitClip_Pieces(string text, string[] expected)
    {
        var pieces = new List<Range>();
        BpePreTokenizers.SplitClip(text, pieces);
        Assert.Equal(expected, pieces.Select(r => text[r]).ToArray());
    }
}
