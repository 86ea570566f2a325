using System.Text.Json;
using System.Text.Json.Nodes;

using FreeBind.Media;

namespace FreeBind.Evaluation.Search;

/// <summary>Writes named factor profiles into bond-file JSON, keeping every other field.</summary>
/// <remarks>NOTE: comments in the input are dropped, because System.Text.Json's node model does not keep them.</remarks>
public static class BondProfileWriter
{
    /// <summary>Returns <paramref name="bondFileJson"/> with each profile set (replacing a profile of the same name).</summary>
    /// <param name="bondFileJson">The bond file's text; comments and trailing commas are allowed.</param>
    /// <param name="profiles">Profile name → factors of the searched axes.</param>
    /// <param name="sourceFolder">Folder of the bond file that was read; with <paramref name="targetFolder"/>, rebases relative projector paths.</param>
    /// <param name="targetFolder">Folder the result is written to, when it differs from <paramref name="sourceFolder"/>.</param>
    /// <exception cref="JsonException">The text is not a JSON object.</exception>
    public static string AddProfiles(
        string bondFileJson,
        IReadOnlyDictionary<string, IReadOnlyList<(SweepAxis Axis, double Factor)>> profiles,
        string? sourceFolder = null,
        string? targetFolder = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        var root = JsonNode.Parse(
                bondFileJson,
                documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            as JsonObject ?? throw new JsonException("the bond file is not a JSON object.");
        if (sourceFolder is not null && targetFolder is not null)
        {
            RebaseProjectorPaths(root, Path.GetFullPath(sourceFolder), Path.GetFullPath(targetFolder));
        }

        if (root["profiles"] is not JsonObject all)
        {
            root["profiles"] = all = [];
        }

        foreach (var (name, factors) in profiles)
        {
            var profile = new JsonObject();
            foreach (var group in factors.GroupBy(f => f.Axis.Bond))
            {
                var bond = new JsonObject();
                foreach (var (axis, factor) in group)
                {
                    bond[axis.Modality.ToName()] = Math.Round(factor, 4);
                }

                profile[group.Key] = bond;
            }

            all[name] = profile;
        }

        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    // Projector folders are relative to the bond file's folder, so a copy written elsewhere must
    // point back at the same folders. Absolute paths and URIs (az://, https://) stay as written.
    private static void RebaseProjectorPaths(JsonObject root, string sourceFolder, string targetFolder)
    {
        if (sourceFolder == targetFolder || root["bonds"] is not JsonArray bonds)
        {
            return;
        }

        foreach (var projectors in bonds.OfType<JsonObject>().Select(b => b["projectors"]).OfType<JsonObject>())
        {
            foreach (var (expert, value) in projectors.ToList())
            {
                if (value?.GetValueKind() != JsonValueKind.String)
                {
                    continue;
                }

                var path = value.GetValue<string>();
                if (path.Contains("://", StringComparison.Ordinal) || Path.IsPathRooted(path))
                {
                    continue;
                }

                var absolute = Path.GetFullPath(Path.Combine(sourceFolder, path));
                projectors[expert] = Path.GetRelativePath(targetFolder, absolute);
            }
        }
    }
}
