using System.Globalization;

namespace FreeBind.Reporting;

/// <summary>
/// Orders metric names by their text before the last '@' and then by the number after it, so
/// that R@1, R@5 and R@10 come in that order. Names without a number after '@' compare as text.
/// </summary>
public sealed class MetricNameComparer : IComparer<string>
{
    /// <summary>The shared instance.</summary>
    public static MetricNameComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return string.CompareOrdinal(x, y);
        }

        var (xName, xRank) = Split(x);
        var (yName, yRank) = Split(y);
        var byName = string.CompareOrdinal(xName, yName);
        if (byName != 0)
        {
            return byName;
        }

        if (xRank is null || yRank is null)
        {
            return string.CompareOrdinal(x, y);
        }

        return xRank.Value.CompareTo(yRank.Value);
    }

    private static (string Name, int? Rank) Split(string metric)
    {
        var at = metric.LastIndexOf('@');
        return at >= 0 && int.TryParse(metric.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var rank)
            ? (metric[..at], rank)
            : (metric, null);
    }
}
