using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>Settings that say which files and columns of a corpus become entries.</summary>
public sealed class CorpusOptions
{
    /// <summary>
    /// Default file extensions (lower case, no dot) and their modality. Only WAV audio (wav, and
    /// w64 for Sony Wave64) is decoded later, but flac, mp3 and ogg still map to audio so that
    /// they turn into decode errors rather than being skipped without a trace. For the same
    /// reason tif, tiff, heic, heif and avif map to image, although the image decoder does not
    /// read them.
    /// </summary>
    public static IReadOnlyDictionary<string, Modality> DefaultExtensions { get; } =
        new Dictionary<string, Modality>(StringComparer.OrdinalIgnoreCase)
        {
            ["jpg"] = Modality.Image,
            ["jpeg"] = Modality.Image,
            ["jpe"] = Modality.Image,
            ["jfif"] = Modality.Image,
            ["png"] = Modality.Image,
            ["webp"] = Modality.Image,
            ["bmp"] = Modality.Image,
            ["wbmp"] = Modality.Image,
            ["gif"] = Modality.Image,
            ["tif"] = Modality.Image,
            ["tiff"] = Modality.Image,
            ["ico"] = Modality.Image,
            ["heic"] = Modality.Image,
            ["heif"] = Modality.Image,
            ["avif"] = Modality.Image,
            ["txt"] = Modality.Text,
            ["caption"] = Modality.Text,
            ["wav"] = Modality.Audio,
            ["w64"] = Modality.Audio,
            ["flac"] = Modality.Audio,
            ["mp3"] = Modality.Audio,
            ["ogg"] = Modality.Audio,
        };

    /// <summary>
    /// Folder (local path or blob URI) that relative media paths of a manifest are resolved
    /// against. Null, the default, means the folder that contains the manifest.
    /// </summary>
    public string? ManifestRoot { get; init; }

    /// <summary>Modalities to read; media of other modalities are left out. Default: all three.</summary>
    public IReadOnlySet<Modality> Modalities { get; init; } =
        new HashSet<Modality> { Modality.Image, Modality.Text, Modality.Audio };

    /// <summary>
    /// File extension (no dot, matched ignoring case) to modality, used for folder trees and tar
    /// members. Files whose extension is not listed are skipped. Default: <see cref="DefaultExtensions"/>.
    /// </summary>
    public IReadOnlyDictionary<string, Modality> Extensions { get; init; } = DefaultExtensions;

    /// <summary>Manifest columns that hold the entry id, first present wins. Default: <c>id</c>.</summary>
    public IReadOnlyList<string> IdColumns { get; init; } = ["id"];

    /// <summary>Manifest columns that hold inline text, and a row's first non-blank one wins. Default: <c>text</c>,
    /// <c>caption</c>.</summary>
    public IReadOnlyList<string> TextColumns { get; init; } = ["text", "caption"];

    /// <summary>Manifest columns that hold an image path or URI, first present wins. Default:
    /// <c>image</c>.</summary>
    public IReadOnlyList<string> ImageColumns { get; init; } = ["image"];

    /// <summary>Manifest columns that hold an audio path or URI, first present wins. Default:
    /// <c>audio</c>.</summary>
    public IReadOnlyList<string> AudioColumns { get; init; } = ["audio"];

    /// <summary>Returns the modality of a file extension (no dot), or null when it is not mapped.</summary>
    internal Modality? ModalityOf(string extension) =>
        Extensions.TryGetValue(extension, out var modality) ? modality : null;
}
