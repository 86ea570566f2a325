using System.Text.Json;
using System.Text.Json.Serialization;

namespace FreeBind.Jobs;

/// <summary>Helpers shared by the job coordinators.</summary>
internal static class JobCounts
{
    /// <summary>JSON settings of job manifests.</summary>
    public static JsonSerializerOptions ManifestJson { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Adds a shard's warning counts to a job's, keeping at most <see cref="Pipeline.WarningKinds.MaxKinds"/> kinds.</summary>
    public static Dictionary<string, long> MergeWarnings(IReadOnlyDictionary<string, long> job, IReadOnlyDictionary<string, long> shard)
    {
        var merged = new Dictionary<string, long>(job);
        Pipeline.WarningKinds.AddInto(merged, shard);
        return merged;
    }

    /// <summary>Adds two sets of counts key by key.</summary>
    public static Dictionary<string, long> Merge(IReadOnlyDictionary<string, long> left, IReadOnlyDictionary<string, long> right)
    {
        var merged = new Dictionary<string, long>(left);
        foreach (var (key, value) in right)
        {
            merged[key] = merged.GetValueOrDefault(key) + value;
        }

        return merged;
    }
}
