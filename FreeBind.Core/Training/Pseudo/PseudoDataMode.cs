using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// A data mode: the query modalities that feed one pseudo dataset. A is audio, T is text, V is
/// image (vision); <c>mix</c> takes every modality, the same number of items from each.
/// </summary>
/// <param name="Name">Name used on the command line and in folder names: mix, A, T, V, AT, AV or TV.</param>
/// <param name="Modalities">Query modalities, in the order image, text, audio.</param>
/// <param name="Balanced">True for <c>mix</c>: each modality contributes the same number of rows.</param>
public sealed record PseudoDataMode(string Name, IReadOnlyList<Modality> Modalities, bool Balanced)
{
    /// <summary>Every data mode, in the order the projector sets list them.</summary>
    public static IReadOnlyList<PseudoDataMode> All { get; } =
    [
        new("mix", [Modality.Image, Modality.Text, Modality.Audio], true),
        new("A", [Modality.Audio], false),
        new("T", [Modality.Text], false),
        new("V", [Modality.Image], false),
        new("AT", [Modality.Text, Modality.Audio], false),
        new("AV", [Modality.Image, Modality.Audio], false),
        new("TV", [Modality.Image, Modality.Text], false),
    ];

    /// <summary>Parses a data mode name; <c>mix</c> ignores case, the letter modes are upper case but accepted in any case.</summary>
    /// <exception cref="FormatException">The name is not one of the seven data modes.</exception>
    public static PseudoDataMode Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);

        var trimmed = name.Trim();
        return All.FirstOrDefault(mode => string.Equals(mode.Name, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? throw new FormatException(
                $"data mode '{name}' is unknown: use mix, A (audio), T (text), V (image), AT, AV or TV.");
    }

    /// <summary>Returns true when this mode takes queries of <paramref name="modality"/>.</summary>
    public bool Includes(Modality modality) => Modalities.Contains(modality);
}
