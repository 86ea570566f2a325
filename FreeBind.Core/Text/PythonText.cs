using System.Text;

namespace FreeBind.Text;

/// <summary>Text clean-up steps that follow Python's str and re semantics, for tokenizers written in Python.</summary>
internal static class PythonText
{
    /// <summary>
    /// Replaces each run of whitespace with one space and trims both ends, as
    /// <c>re.sub(r"\s+", " ", text).strip()</c> does.
    /// </summary>
    /// <remarks>Python's <c>\s</c> on str also matches the separators U+001C to U+001F.</remarks>
    public static string CollapseWhitespace(string text)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (IsPythonSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Lower-cases text as Python's <c>str.lower()</c> does: invariant simple case mapping, plus
    /// the two context rules .NET lacks (U+0130 becomes "i" + U+0307, and a capital sigma that
    /// ends a word becomes the final sigma U+03C2).
    /// </summary>
    /// <remarks>
    /// NOTE: the final-sigma rule checks the letters right before and after the sigma; Unicode's
    /// rule also skips case-ignorable characters such as apostrophes between them.
    /// </remarks>
    public static string Lower(string text)
    {
        if (!text.AsSpan().ContainsAny('\u0130', '\u03A3'))
        {
            return text.ToLowerInvariant();
        }

        // "i" and U+0307 are already lower case, and ToLowerInvariant keeps the length, so sigma
        // positions in the expanded text stay valid in the lowered one.
        var expanded = text.Replace("\u0130", "i\u0307", StringComparison.Ordinal);
        var lowered = expanded.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < expanded.Length; i++)
        {
            if (expanded[i] != '\u03A3')
            {
                continue;
            }

            var afterLetter = i > 0 && char.IsLetter(expanded[i - 1]);
            var beforeLetter = i + 1 < expanded.Length && char.IsLetter(expanded[i + 1]);
            lowered[i] = afterLetter && !beforeLetter ? '\u03C2' : '\u03C3';
        }

        return new string(lowered);
    }

    private static bool IsPythonSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';
}
