using System.Text.Json;
using System.Text.Json.Nodes;

namespace FreeBind.Client.Demo;

/// <summary>
/// The demo's bond file: the unified space, then a displacement into the image-text expert, then a
/// combination with the audio-text expert, in the order of FreeBind's ImageBind++ example.
/// </summary>
internal static class DemoBondFile
{
    /// <summary>Name of the unified (base) space of the demo world.</summary>
    public const string Base = "unified";

    /// <summary>Image-text expert space.</summary>
    public const string ImageText = "image-text";

    /// <summary>Audio-text expert space.</summary>
    public const string AudioText = "audio-text";

    /// <summary>Displacement bond into the image-text expert.</summary>
    public const string Displacement = "d-image-text";

    /// <summary>Combination bond with the audio-text expert.</summary>
    public const string Combination = "c-audio-text";

    /// <summary>Builds the bond file text; projector folders are relative to the bond file's folder.</summary>
    /// <param name="displacementProjectors">Projector folder of <see cref="Displacement"/>.</param>
    /// <param name="combinationProjectors">Projector folder of <see cref="Combination"/>.</param>
    public static string ToJson(string displacementProjectors, string combinationProjectors)
    {
        var root = new JsonObject
        {
            ["name"] = "unified++",
            ["base"] = Base,
            ["spaces"] = new JsonObject
            {
                [Base] = Space(64, "image", "text", "audio"),
                [ImageText] = Space(48, "image", "text"),
                [AudioText] = Space(32, "audio", "text"),
            },
            ["bonds"] = new JsonArray
            {
                Bond(Displacement, "displacement", ImageText, displacementProjectors, ("image", 0.5), ("text", 0.5)),
                Bond(Combination, "combination", AudioText, combinationProjectors, ("audio", 0.5), ("text", 0.5)),
            },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private static JsonObject Space(int dimension, params string[] modalities) => new()
    {
        ["dimension"] = dimension,
        ["modalities"] = new JsonArray(modalities.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
    };

    private static JsonObject Bond(string name, string kind, string expert, string projectors, params (string Modality, double Factor)[] factors)
    {
        var factorObject = new JsonObject();
        foreach (var (modality, factor) in factors)
        {
            factorObject[modality] = factor;
        }

        return new JsonObject
        {
            ["name"] = name,
            ["kind"] = kind,
            ["experts"] = new JsonArray(JsonValue.Create(expert)),
            ["projectors"] = new JsonObject { [expert] = projectors.Replace('\\', '/') },
            ["factors"] = factorObject,
        };
    }
}
