using System.Text.Json;
using System.Text.Json.Serialization;

namespace FreeBind.Jobs;

/// <summary>JSON settings for shipping corpus shards between grains.</summary>
public static class CorpusJson
{
    /// <summary>Options that write modalities by name.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
