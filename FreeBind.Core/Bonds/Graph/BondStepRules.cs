using FreeBind.Media;

namespace FreeBind.Bonds.Graph;

/// <summary>Rules shared by the bond file validation and <see cref="BondCompiler"/>.</summary>
internal static class BondStepRules
{
    /// <summary>Classifies what <paramref name="bond"/> does to <paramref name="modality"/>.</summary>
    public static BondStepRole RoleOf(
        BondSpec bond, Modality modality, IReadOnlyDictionary<string, BondSpaceSpec> spaces)
    {
        var anyExpertCovers = bond.Experts.Any(expert => spaces[expert].Covers(modality));
        if (anyExpertCovers)
        {
            return BondStepRole.Mix;
        }

        return bond.Kind == BondKind.Combination ? BondStepRole.Skip : BondStepRole.Replace;
    }

    /// <summary>
    /// Returns why <paramref name="value"/> cannot be the factor of <paramref name="bond"/> for
    /// <paramref name="modality"/>, or null when it can.
    /// </summary>
    public static string? CheckFactor(
        BondSpec bond,
        Modality modality,
        float value,
        BondSpaceSpec baseSpace,
        IReadOnlyDictionary<string, BondSpaceSpec> spaces)
    {
        var name = modality.ToName();
        if (!(value >= 0f && value <= 1f))
        {
            return $"factor {value} for '{name}' is outside [0, 1]: use a value from 0 (keep) to 1 (projection)";
        }

        if (!baseSpace.Covers(modality))
        {
            return $"factor for '{name}' is not used: the base space '{baseSpace.Name}' does not embed {name}, " +
                "so the fused space has no such modality";
        }

        return RoleOf(bond, modality, spaces) switch
        {
            BondStepRole.Skip =>
                $"factor for '{name}' is not used: no expert of this combination embeds {name}; remove it",
            BondStepRole.Replace =>
                $"factor for '{name}' is not used: no expert of this displacement embeds {name}, so the " +
                "projection replaces the embedding (factor fixed at 1); remove it",
            _ => null,
        };
    }

    /// <summary>Parses a modality name from a bond file, or returns null when it is unknown.</summary>
    public static Modality? ParseModality(string name) => name.Trim().ToLowerInvariant() switch
    {
        "image" => Modality.Image,
        "text" => Modality.Text,
        "audio" => Modality.Audio,
        _ => null,
    };
}
