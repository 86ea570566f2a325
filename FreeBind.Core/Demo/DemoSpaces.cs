using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

using FreeBind.Audio;
using FreeBind.Imaging;
using FreeBind.Media;
using FreeBind.Spaces;
using FreeBind.Text;

namespace FreeBind.Demo;

/// <summary>The three spaces of the demo world and their encoders.</summary>
/// <remarks>
/// <c>unified</c> (64 values) covers image, text and audio with ImageBind's inputs and aligns them
/// moderately: each modality's read-out carries its own random error and nuisance.
/// <c>image-text</c> (48) is a CLIP-like expert with accurate image and text read-outs.
/// <c>audio-text</c> (32) is a CLAP-like expert with accurate audio and text read-outs of the
/// audible words only (sound, tempo): like a model that never saw images, it reads no colour or
/// texture.
/// </remarks>
internal static class DemoSpaces
{
    public const string Unified = "unified";
    public const string ImageText = "image-text";
    public const string AudioText = "audio-text";

    public const int UnifiedDimension = 64;
    public const int ImageTextDimension = 48;
    public const int AudioTextDimension = 32;

    public const string ClipFolder = "tokenizers/clip";
    public const string RobertaFolder = "tokenizers/roberta";

    public static IReadOnlyList<DemoEncoderDesign> Designs { get; } =
    [
        new(Unified, Encoder(Unified, Modality.Image, UnifiedDimension, "image_embeds", ImageRecipe()), 0.55, 0.7),
        new(Unified, Encoder(Unified, Modality.Text, UnifiedDimension, "text_embeds", ClipText()), 0.55, 0.7),
        new(Unified, Encoder(Unified, Modality.Audio, UnifiedDimension, "audio_embeds", new AudioRecipe()), 0.8, 1.0),
        new(ImageText, Encoder(ImageText, Modality.Image, ImageTextDimension, "image_embeds", ImageRecipe()), 0.1, 0.15),
        new(ImageText, Encoder(ImageText, Modality.Text, ImageTextDimension, "text_embeds", ClipText()), 0.1, 0.15),
        new(AudioText, Encoder(AudioText, Modality.Audio, AudioTextDimension, "audio_embeds", ClapAudio()), 0.1, 0.15, AudibleOnly: true),
        new(AudioText, Encoder(AudioText, Modality.Text, AudioTextDimension, "text_embeds", RobertaText()), 0.1, 0.15, AudibleOnly: true),
    ];

    public static int DimensionOf(string space) => space switch
    {
        Unified => UnifiedDimension,
        ImageText => ImageTextDimension,
        AudioText => AudioTextDimension,
        _ => throw new ArgumentOutOfRangeException(nameof(space), space, "unknown demo space"),
    };

    /// <summary>Serializes the spaces file, with model paths under models/ and tokenizer paths under tokenizers/.</summary>
    public static string ToJson()
    {
        var file = new SpacesFile();
        foreach (var group in Designs.GroupBy(design => design.Space))
        {
            var space = new SpaceSpec { Name = group.Key };
            space.Encoders.AddRange(group.Select(design => design.Spec));

            file.Spaces.Add(space);
        }

        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        };
        // EncoderSpec's own enum converter writes "Image"; the spaces-file docs and samples use lower case.
        var json = JsonSerializer.Serialize(file, options);
        foreach (var modality in Enum.GetValues<Modality>())
        {
            json = json.Replace($"\"modality\": \"{modality}\"", $"\"modality\": \"{modality.ToName()}\"", StringComparison.Ordinal);
        }

        return json;
    }

    private static EncoderSpec Encoder(string space, Modality modality, int dimension, string output, PreprocessRecipe recipe) => new()
    {
        Modality = modality,
        Model = $"models/{space}-{modality.ToName()}.onnx",
        Output = output,
        Dimension = dimension,
        Pooling = "none",
        Normalize = true,
        BatchSize = 32,
        Preprocess = recipe,
    };

    private static ImageRecipe ImageRecipe() => new();

    private static TextRecipe ClipText() => new()
    {
        Tokenizer = "clip",
        Vocab = ClipFolder + "/vocab.json",
        Merges = ClipFolder + "/merges.txt",
        ContextLength = 77,
        Padding = "fixed",
    };

    private static TextRecipe RobertaText() => new()
    {
        Tokenizer = "roberta",
        Vocab = RobertaFolder + "/vocab.json",
        Merges = RobertaFolder + "/merges.txt",
        ContextLength = 77,
        Padding = "fixed",
        AttentionMask = "attention_mask",
    };

    private static AudioRecipe ClapAudio() => new()
    {
        Input = "input_features",
        Features = "clapLogMel",
        SampleRate = 48_000,
        MelBins = 64,
        ClipSeconds = 10,
    };
}
