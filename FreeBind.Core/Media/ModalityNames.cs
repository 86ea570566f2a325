namespace FreeBind.Media;

/// <summary>Conversions between <see cref="Modality"/> and the lower-case names used in files.</summary>
public static class ModalityNames
{
    /// <summary>Returns the name written to Parquet and configuration ("image", "text", "audio").</summary>
    public static string ToName(this Modality modality) => modality switch
    {
        Modality.Image => "image",
        Modality.Text => "text",
        Modality.Audio => "audio",
        _ => throw new ArgumentOutOfRangeException(nameof(modality), modality, "Unknown modality."),
    };

    /// <summary>Parses a modality name, ignoring case.</summary>
    /// <exception cref="FormatException">The name is not image, text or audio.</exception>
    public static Modality Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "image" => Modality.Image,
        "text" => Modality.Text,
        "audio" => Modality.Audio,
        _ => throw new FormatException($"unknown modality '{name}': use image, text or audio."),
    };
}
