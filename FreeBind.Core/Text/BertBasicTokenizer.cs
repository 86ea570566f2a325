using System.Globalization;
using System.Text;

namespace FreeBind.Text;

/// <summary>
/// Hugging Face BertTokenizer's basic tokenization: clean-up, CJK isolation, lower-casing,
/// accent stripping and punctuation splitting, ahead of WordPiece.
/// </summary>
/// <remarks>
/// Written here because Microsoft.ML.Tokenizers 3.0.0's own basic tokenization departs from
/// Hugging Face, as measured with the uncased BERT vocabulary. It deletes tabs and newlines
/// instead of splitting words there ("hello\tworld" became "hello ##world"). It also drops
/// symbols and supplementary characters ("$5" became "5", "☃" and emoji vanished), where Hugging
/// Face keeps "$" as punctuation and maps unknown words to [UNK].
/// </remarks>
internal static class BertBasicTokenizer
{
    /// <summary>Splits text into words, joined by single spaces, ready for whitespace-split WordPiece.</summary>
    /// <param name="text">Raw text.</param>
    /// <param name="lowercase">Lower-case each word.</param>
    /// <param name="stripAccents">Decompose (NFD) and remove non-spacing marks.</param>
    /// <param name="specialTokens">Tokens kept whole and unchanged where they appear, such as [SEP].</param>
    public static string Split(string text, bool lowercase, bool stripAccents, IReadOnlyList<string> specialTokens)
    {
        var output = new StringBuilder(text.Length + 16);
        var segmentStart = 0;
        while (segmentStart <= text.Length)
        {
            var (specialAt, special) = FindSpecial(text, segmentStart, specialTokens);
            var segmentEnd = specialAt < 0 ? text.Length : specialAt;
            AppendWords(text[segmentStart..segmentEnd], lowercase, stripAccents, output);
            if (special is null)
            {
                break;
            }

            output.Append(' ').Append(special).Append(' ');
            segmentStart = segmentEnd + special.Length;
        }

        return output.ToString();
    }

    private static (int At, string? Token) FindSpecial(string text, int start, IReadOnlyList<string> specialTokens)
    {
        var bestAt = -1;
        string? best = null;
        foreach (var token in specialTokens)
        {
            var at = text.IndexOf(token, start, StringComparison.Ordinal);
            if (at >= 0 && (bestAt < 0 || at < bestAt))
            {
                bestAt = at;
                best = token;
            }
        }

        return (bestAt, best);
    }

    private static void AppendWords(string segment, bool lowercase, bool stripAccents, StringBuilder output)
    {
        var cleaned = new StringBuilder(segment.Length + 8);
        foreach (var rune in segment.EnumerateRunes())
        {
            if (IsWhitespace(rune))
            {
                cleaned.Append(' ');
            }
            else if (rune.Value is 0 or 0xFFFD || IsControl(rune))
            {
                continue;
            }
            else if (IsCjk(rune.Value))
            {
                AppendRune(cleaned.Append(' '), rune).Append(' ');
            }
            else
            {
                AppendRune(cleaned, rune);
            }
        }

        var cleanedText = lowercase ? PythonText.Lower(cleaned.ToString()) : cleaned.ToString();
        foreach (var word in cleanedText.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var normalized = stripAccents && !Ascii.IsValid(word) ? StripAccents(word) : word;

            AppendSplitOnPunctuation(normalized, output);
        }
    }

    private static string StripAccents(string word)
    {
        var decomposed = word.Normalize(NormalizationForm.FormD);
        var builder = new StringBuilder(decomposed.Length);
        foreach (var rune in decomposed.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) != UnicodeCategory.NonSpacingMark)
            {
                AppendRune(builder, rune);
            }
        }

        return builder.ToString();
    }

    private static void AppendSplitOnPunctuation(string word, StringBuilder output)
    {
        var startNewWord = true;
        foreach (var rune in word.EnumerateRunes())
        {
            if (IsPunctuation(rune))
            {
                AppendRune(output.Append(' '), rune).Append(' ');
                startNewWord = true;
                continue;
            }

            if (startNewWord)
            {
                output.Append(' ');
                startNewWord = false;
            }

            AppendRune(output, rune);
        }
    }

    private static StringBuilder AppendRune(StringBuilder builder, Rune rune)
    {
        if (rune.IsBmp)
        {
            return builder.Append((char)rune.Value);
        }

        Span<char> pair = stackalloc char[2];
        rune.EncodeToUtf16(pair);
        return builder.Append(pair);
    }

    private static bool IsWhitespace(Rune rune) =>
        rune.Value is ' ' or '\t' or '\n' or '\r' || Rune.GetUnicodeCategory(rune) == UnicodeCategory.SpaceSeparator;

    private static bool IsControl(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned;

    // ASCII symbols such as "$", "+" and "^" count as punctuation, as in the original BERT code.
    private static bool IsPunctuation(Rune rune) =>
        rune.Value is (>= 33 and <= 47) or (>= 58 and <= 64) or (>= 91 and <= 96) or (>= 123 and <= 126)
        || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation
            or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;

    // The CJK Unified Ideographs blocks that BERT isolates; Hangul and kana are not among them.
    private static bool IsCjk(int codePoint) =>
        codePoint is (>= 0x4E00 and <= 0x9FFF) or (>= 0x3400 and <= 0x4DBF) or (>= 0x20000 and <= 0x2A6DF)
            or (>= 0x2A700 and <= 0x2B73F) or (>= 0x2B740 and <= 0x2B81F) or (>= 0x2B820 and <= 0x2CEAF)
            or (>= 0xF900 and <= 0xFAFF) or (>= 0x2F800 and <= 0x2FA1F);
}
