using System.Globalization;

namespace FreeBind.Corpus;

/// <summary>
/// Expands shell-style brace patterns as used for WebDataset shard lists:
/// <c>shards-{00000..00099}.tar</c> (numeric range, zero padding kept) and <c>{a,b}</c> (list).
/// Several groups expand as a cartesian product, left to right; groups do not nest.
/// </summary>
internal static class BraceExpansion
{
    /// <summary>The most names one pattern may expand to, so a typo cannot exhaust memory.</summary>
    public const int MaxExpansions = 10_000_000;

    /// <summary>Returns true when <paramref name="pattern"/> contains a brace group.</summary>
    public static bool HasBraces(string pattern) => pattern.Contains('{', StringComparison.Ordinal);

    /// <summary>Expands <paramref name="pattern"/> in order.</summary>
    /// <exception cref="ArgumentException">Unbalanced, nested or empty braces, or a bad range.</exception>
    public static IReadOnlyList<string> Expand(string pattern)
    {
        var results = new List<string> { string.Empty };
        var position = 0;

        while (position < pattern.Length)
        {
            var open = pattern.IndexOf('{', position);
            var closeBefore = pattern.IndexOf('}', position);
            if (closeBefore >= 0 && (open < 0 || closeBefore < open))
            {
                throw Invalid(pattern, $"'}}' at position {closeBefore} has no matching '{{'");
            }

            if (open < 0)
            {
                Append(results, [pattern[position..]]);
                break;
            }

            var close = pattern.IndexOf('}', open + 1);
            if (close < 0)
            {
                throw Invalid(pattern, $"'{{' at position {open} is not closed");
            }

            var body = pattern[(open + 1)..close];
            if (body.Contains('{', StringComparison.Ordinal))
            {
                throw Invalid(pattern, "nested braces are not supported");
            }

            Append(results, [pattern[position..open]]);
            Append(results, ExpandGroup(pattern, body));
            if ((long)results.Count > MaxExpansions)
            {
                throw Invalid(pattern, $"it expands to more than {MaxExpansions} names");
            }

            position = close + 1;
        }

        return results;
    }

    private static IReadOnlyList<string> ExpandGroup(string pattern, string body)
    {
        var range = body.Split("..");
        if (range.Length == 2 && IsDigits(range[0]) && IsDigits(range[1]))
        {
            return ExpandRange(pattern, range[0], range[1]);
        }

        if (!body.Contains(',', StringComparison.Ordinal))
        {
            throw Invalid(pattern, $"group '{{{body}}}' is neither a range like {{000..099}} nor a list like {{a,b}}");
        }

        return body.Split(',');
    }

    private static List<string> ExpandRange(string pattern, string first, string last)
    {
        if (first.Length > 18 || last.Length > 18)
        {
            throw Invalid(pattern, $"range bounds '{first}' and '{last}' have more than 18 digits");
        }

        var from = long.Parse(first, CultureInfo.InvariantCulture);
        var to = long.Parse(last, CultureInfo.InvariantCulture);
        if (Math.Abs(to - from) >= MaxExpansions)
        {
            throw Invalid(pattern, $"range {first}..{last} has more than {MaxExpansions} values");
        }

        // Bash pads to the wider bound when either bound starts with a zero.
        var padded = (first.Length > 1 && first[0] == '0') || (last.Length > 1 && last[0] == '0');
        var width = padded ? Math.Max(first.Length, last.Length) : 0;
        var step = to >= from ? 1 : -1;
        var values = new List<string>((int)Math.Abs(to - from) + 1);
        for (var value = from; ; value += step)
        {
            values.Add(value.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'));
            if (value == to)
            {
                break;
            }
        }

        return values;
    }

    private static void Append(List<string> results, IReadOnlyList<string> parts)
    {
        if (parts.Count == 1)
        {
            for (var i = 0; i < results.Count; i++)
            {
                results[i] += parts[0];
            }

            return;
        }

        var combined = new List<string>(results.Count * parts.Count);
        foreach (var prefix in results)
        {
            foreach (var part in parts)
            {
                combined.Add(prefix + part);
            }
        }

        results.Clear();
        results.AddRange(combined);
    }

    private static bool IsDigits(string text) => text.Length > 0 && text.All(char.IsAsciiDigit);

    private static ArgumentException Invalid(string pattern, string reason) =>
        new($"Invalid brace pattern '{pattern}': {reason}. Use a range like {{00000..00099}} or a list like {{a,b}}.",
            nameof(pattern));
}
