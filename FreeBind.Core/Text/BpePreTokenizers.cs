using System.Globalization;
using System.Text;

namespace FreeBind.Text;

/// <summary>
/// The regular-expression pre-tokenizers of CLIP and GPT-2, written as scanners over Unicode
/// scalar values.
/// </summary>
/// <remarks>
/// The reference tokenizers run these patterns with Python's <c>regex</c> module, which
/// classifies characters outside the Basic Multilingual Plane by code point. .NET's Regex sees
/// such characters as two surrogates with no letter or number category, so the scanners walk
/// <see cref="Rune"/>s instead. Whitespace is the Unicode White_Space property, as
/// <see cref="Rune.IsWhiteSpace(Rune)"/> and the <c>regex</c> module's <c>\s</c> define it.
/// </remarks>
internal static class BpePreTokenizers
{
    private static readonly string[] Contractions = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"];

    private static readonly string[] ClipSpecialTokens = ["<|startoftext|>", "<|endoftext|>"];

    /// <summary>
    /// Splits text as CLIP's pattern
    /// <c>&lt;\|startoftext\|&gt;|&lt;\|endoftext\|&gt;|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+</c>
    /// (case-insensitive) does: whitespace separates pieces and is dropped, each digit is a piece.
    /// </summary>
    public static void SplitClip(string text, List<Range> pieces)
    {
        var i = 0;
        while (i < text.Length)
        {
            var rune = Rune.GetRuneAt(text, i);
            var kind = Classify(rune);
            if (kind == CharKind.Space)
            {
                i += rune.Utf16SequenceLength;
                continue;
            }

            var special = MatchAny(text, i, ClipSpecialTokens, StringComparison.OrdinalIgnoreCase);
            if (special == 0)
            {
                special = MatchAny(text, i, Contractions, StringComparison.OrdinalIgnoreCase);
            }

            int end;
            if (special > 0)
            {
                end = i + special;
            }
            else if (kind == CharKind.Number)
            {
                end = i + rune.Utf16SequenceLength;
            }
            else
            {
                end = ScanRun(text, i, kind);
            }

            pieces.Add(i..end);
            i = end;
        }
    }

    /// <summary>
    /// Splits text as GPT-2's pattern
    /// <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
    /// does. Every character lands in exactly one piece, whitespace included.
    /// </summary>
    public static void SplitGpt2(string text, List<Range> pieces)
    {
        var i = 0;
        while (i < text.Length)
        {
            var contraction = MatchAny(text, i, Contractions, StringComparison.Ordinal);
            if (contraction > 0)
            {
                pieces.Add(i..(i + contraction));
                i += contraction;
                continue;
            }

            var rune = Rune.GetRuneAt(text, i);
            var kind = Classify(rune);

            // " ?X+": one optional U+0020 that joins the run of letters, digits or other symbols after it.
            var runStart = i;
            if (text[i] == ' ' && i + 1 < text.Length)
            {
                var next = Classify(Rune.GetRuneAt(text, i + 1));
                if (next != CharKind.Space)
                {
                    runStart = i + 1;
                    kind = next;
                }
            }

            if (kind != CharKind.Space)
            {
                var end = ScanRun(text, runStart, kind);
                pieces.Add(i..end);
                i = end;
                continue;
            }

            // "\s+(?!\S)|\s+": a whitespace run gives up its last character when a non-space follows,
            // so that character can lead the next piece.
            var runEnd = ScanRun(text, i, CharKind.Space);
            var runLength = runEnd - i;
            var lastLength = runEnd < text.Length && runLength > 1 ? LastRuneLength(text, runEnd) : 0;
            var pieceEnd = runLength > lastLength ? runEnd - lastLength : runEnd;
            pieces.Add(i..pieceEnd);
            i = pieceEnd;
        }
    }

    private static int ScanRun(string text, int start, CharKind kind)
    {
        var i = start;
        while (i < text.Length)
        {
            var rune = Rune.GetRuneAt(text, i);
            if (Classify(rune) != kind)
            {
                break;
            }

            i += rune.Utf16SequenceLength;
        }

        return i;
    }

    private static int LastRuneLength(string text, int end) =>
        end >= 2 && char.IsLowSurrogate(text[end - 1]) && char.IsHighSurrogate(text[end - 2]) ? 2 : 1;

    private static int MatchAny(string text, int start, string[] candidates, StringComparison comparison)
    {
        if (text[start] is not ('\'' or '<'))
        {
            return 0;
        }

        foreach (var candidate in candidates)
        {
            if (string.Compare(text, start, candidate, 0, candidate.Length, comparison) == 0
                && start + candidate.Length <= text.Length)
            {
                return candidate.Length;
            }
        }

        return 0;
    }

    private static CharKind Classify(Rune rune)
    {
        if (Rune.IsWhiteSpace(rune))
        {
            return CharKind.Space;
        }

        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharKind.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber
                or UnicodeCategory.OtherNumber => CharKind.Number,
            _ => CharKind.Other,
        };
    }

    private enum CharKind
    {
        Space,
        Letter,
        Number,
        Other,
    }
}
