using System.Text.RegularExpressions;

namespace FreeBind.Pipeline;

/// <summary>Turns per-file warning texts into the kinds a job counts.</summary>
/// <remarks>
/// A warning often names numbers of its own file ("data chunk declares 88200 bytes but 4410
/// follow"). Counted as they are, a corpus of such files would give one count per file, and the
/// job's state and summary would grow with the corpus. The counting key replaces each stand-alone
/// number with N; the warnings file of each shard keeps the exact text per input.
/// </remarks>
public static partial class WarningKinds
{
    /// <summary>Distinct warning kinds a job keeps; further kinds are counted under <see cref="OtherKinds"/>.</summary>
    public const int MaxKinds = 100;

    /// <summary>The key that counts the warnings of kinds beyond <see cref="MaxKinds"/>.</summary>
    public const string OtherKinds = "other warnings (their texts are in warnings/shard-*.parquet)";

    /// <summary>Returns the counting key of a warning: its text with each stand-alone number replaced by N.</summary>
    public static string KeyOf(string warning) => Number().Replace(warning, "N");

    /// <summary>
    /// Adds <paramref name="counts"/> into <paramref name="total"/>, keeping at most
    /// <see cref="MaxKinds"/> keys besides <see cref="OtherKinds"/>.
    /// </summary>
    public static void AddInto(IDictionary<string, long> total, IEnumerable<KeyValuePair<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(total);
        ArgumentNullException.ThrowIfNull(counts);
        foreach (var (key, count) in counts)
        {
            int kinds = total.Count - (total.ContainsKey(OtherKinds) ? 1 : 0);
            var target = total.ContainsKey(key) || kinds < MaxKinds ? key : OtherKinds;
            total[target] = total.TryGetValue(target, out var sum) ? sum + count : count;
        }
    }

    // A number not glued to letters, digits or '_': "4410", "2.5", but not "0xFFFFFFFF" or "ds64".
    [GeneratedRegex(@"(?<![\w.])\d+(?:\.\d+)?(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex Number();
}
