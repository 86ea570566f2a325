using System.Text.Json;

using FreeBind.Bonds.Graph;
using FreeBind.Media;
using FreeBind.Serialization;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Reads one bond's spaces from bond-file JSON without loading projectors, because pseudo datasets
/// are built before the projectors exist.
/// </summary>
public static class PseudoBondReader
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Finds bond <paramref name="bondName"/> and its expert in bond-file JSON.</summary>
    /// <param name="json">Bond file text, in the format of docs/bonds.md.</param>
    /// <param name="bondName">Bond to build a dataset for.</param>
    /// <param name="expert">Expert of a parallel bond; null takes the bond's only expert.</param>
    /// <exception cref="PseudoDatasetException">
    /// The JSON is invalid, the bond or expert is not declared, or a space it uses is invalid.
    /// </exception>
    public static PseudoBond Read(string json, string bondName, string? expert = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentException.ThrowIfNullOrWhiteSpace(bondName);

        // Checks against the whole bond-file contract, so unknown keys fail here as they do when fusing.
        var problems = JsonShapeChecker.Check(json, typeof(BondFileJson), JsonOptions);
        if (problems.Count > 0)
        {
            throw new PseudoDatasetException(
                $"the bond file is not a valid bond file: {string.Join("; ", problems)}");
        }

        BondFileShape? file;
        try
        {
            file = JsonSerializer.Deserialize<BondFileShape>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new PseudoDatasetException(
                $"the bond file is not a valid bond file: {JsonShapeChecker.Describe(exception)}", exception);
        }

        if (file?.Spaces is null || file.Bonds is null || string.IsNullOrWhiteSpace(file.Base))
        {
            throw new PseudoDatasetException("the bond file lacks \"base\", \"spaces\" or \"bonds\": see docs/bonds.md for the format.");
        }

        var running = GetSpace(file, file.Base, "base space");
        foreach (var bond in file.Bonds)
        {
            var experts = bond.Experts ?? [];
            if (bond.Name == bondName)
            {
                var chosen = GetSpace(file, ChooseExpert(bondName, experts, expert), "expert space");
                return new PseudoBond(bondName, ParseKind(bond), running, chosen, experts.Count > 1);
            }

            if (ParseKind(bond) == BondKind.Displacement && experts.Count > 0)
            {
                // NOTE: later bonds then pair with the raw embeddings of this expert space, not
                // with the fused running embeddings the chain would produce at that point.
                running = GetSpace(file, experts[0], "expert space");
            }
        }

        throw new PseudoDatasetException(
            $"bond '{bondName}' is not declared in the bond file; declared bonds: " +
            string.Join(", ", file.Bonds.Select(b => b.Name)) + ". Pass one of them to --bond.");
    }

    private static string ChooseExpert(string bondName, List<string> experts, string? expert)
    {
        if (expert is not null)
        {
            return experts.Contains(expert)
                ? expert
                : throw new PseudoDatasetException(
                    $"expert '{expert}' is not an expert of bond '{bondName}'; its experts: {string.Join(", ", experts)}.");
        }

        return experts.Count switch
        {
            1 => experts[0],
            0 => throw new PseudoDatasetException($"bond '{bondName}' lists no experts: add one under \"experts\"."),
            _ => throw new PseudoDatasetException(
                $"bond '{bondName}' is parallel with experts {string.Join(", ", experts)}: choose one with --expert."),
        };
    }

    private static BondKind ParseKind(BondShape bond) => bond.Kind?.Trim().ToLowerInvariant() switch
    {
        "combination" => BondKind.Combination,
        "displacement" => BondKind.Displacement,
        _ => throw new PseudoDatasetException(
            $"bond '{bond.Name}' has kind '{bond.Kind}': use combination or displacement."),
    };

    private static BondSpaceSpec GetSpace(BondFileShape file, string name, string role)
    {
        if (!file.Spaces!.TryGetValue(name, out var space))
        {
            throw new PseudoDatasetException(
                $"{role} '{name}' is not declared under \"spaces\"; declared: {string.Join(", ", file.Spaces.Keys)}.");
        }

        if (space.Dimension < 1)
        {
            throw new PseudoDatasetException($"space '{name}' has dimension {space.Dimension}: give the embedding dimension (> 0).");
        }

        var modalities = new HashSet<Modality>();
        foreach (var modality in space.Modalities ?? [])
        {
            try
            {
                modalities.Add(ModalityNames.Parse(modality));
            }
            catch (FormatException exception)
            {
                throw new PseudoDatasetException($"space '{name}': {exception.Message}", exception);
            }
        }

        if (modalities.Count == 0)
        {
            throw new PseudoDatasetException($"space '{name}' lists no modalities: list the modalities it embeds.");
        }

        return new BondSpaceSpec(name, space.Dimension, modalities);
    }

    private sealed class BondFileShape
    {
        public string? Base { get; set; }

        public Dictionary<string, SpaceShape>? Spaces { get; set; }

        public List<BondShape>? Bonds { get; set; }
    }

    private sealed class SpaceShape
    {
        public int Dimension { get; set; }

        public List<string>? Modalities { get; set; }
    }

    private sealed class BondShape
    {
        public string? Name { get; set; }

        public string? Kind { get; set; }

        public List<string>? Experts { get; set; }
    }
}
