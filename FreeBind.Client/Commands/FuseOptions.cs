using System.CommandLine;
using System.Globalization;

namespace FreeBind.Client.Commands;

/// <summary>Options shared by <c>fuse</c>, <c>embed --fuse</c> and <c>export-onnx</c>.</summary>
internal static class FuseOptions
{
    private const string BondsDescription = "Bond file (JSON): base space, ordered bonds, projector folders, factor profiles.";

    /// <summary><c>--bonds</c> for <c>embed</c>, where it is needed only with <c>--fuse</c>.</summary>
    public static readonly Option<FileInfo> Bonds = new("--bonds")
    {
        Description = BondsDescription,
    };

    /// <summary>
    /// <c>--bonds</c> for <c>fuse</c> and <c>export-onnx</c>. A separate instance, because
    /// <see cref="Option.Required"/> belongs to the instance and <c>--help</c> marks it from there.
    /// </summary>
    public static readonly Option<FileInfo> RequiredBonds = new("--bonds")
    {
        Description = BondsDescription,
        Required = true,
    };

    public static readonly Option<string?> Profile = new("--profile")
    {
        Description = "Factor profile from the bond file; default each bond's own factors.",
    };

    public static readonly Option<string[]> Factors = new("--factor")
    {
        Description = "Factor override, BOND.MODALITY=VALUE with VALUE in [0, 1] (repeatable), e.g. c-clap.audio=0.8.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Parses <c>--factor</c> values into bond → modality → factor.</summary>
    /// <exception cref="FormatException">A value is not BOND.MODALITY=NUMBER.</exception>
    public static Dictionary<string, IReadOnlyDictionary<string, float>> ParseFactors(string[]? values)
    {
        var result = new Dictionary<string, Dictionary<string, float>>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var dot = equals < 0 ? -1 : value.LastIndexOf('.', equals);
            if (dot <= 0 || !float.TryParse(value[(equals + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var factor))
            {
                throw new FormatException($"--factor '{value}' is invalid: use BOND.MODALITY=VALUE, e.g. c-clap.audio=0.8.");
            }

            var bond = value[..dot];
            if (!result.TryGetValue(bond, out var modalities))
            {
                result[bond] = modalities = new Dictionary<string, float>(StringComparer.Ordinal);
            }

            modalities[value[(dot + 1)..equals]] = factor;
        }

        return result.ToDictionary(p => p.Key, p => (IReadOnlyDictionary<string, float>)p.Value);
    }
}
