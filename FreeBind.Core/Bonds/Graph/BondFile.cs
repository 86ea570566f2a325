using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using FreeBind.Media;
using FreeBind.Serialization;

namespace FreeBind.Bonds.Graph;

/// <summary>
/// The bond file: a base (unified) space, the expert spaces, the bonds that fuse the experts into
/// it in order, and named factor profiles. Loading validates the whole graph, including every
/// projector's dimensions at its place in the chain.
/// </summary>
/// <remarks>The format and the fusion formulas are described in docs/bonds.md.</remarks>
public sealed class BondFile
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    private BondFile(
        string name,
        BondSpaceSpec baseSpace,
        IReadOnlyDictionary<string, BondSpaceSpec> spaces,
        IReadOnlyList<BondSpec> bonds,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>> profiles)
    {
        Name = name;
        BaseSpace = baseSpace;
        Spaces = spaces;
        Bonds = bonds;
        Profiles = profiles;
    }

    /// <summary>Fused space name, written to output rows.</summary>
    public string Name { get; }

    /// <summary>Name of the base (unified) space.</summary>
    public string Base => BaseSpace.Name;

    /// <summary>The base (unified) space.</summary>
    public BondSpaceSpec BaseSpace { get; }

    /// <summary>Every declared space, by name.</summary>
    public IReadOnlyDictionary<string, BondSpaceSpec> Spaces { get; }

    /// <summary>Bonds in the order they apply.</summary>
    public IReadOnlyList<BondSpec> Bonds { get; }

    /// <summary>Factor profiles: profile name → bond name → modality → factor.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyDictionary<Modality, float>>> Profiles { get; }

    /// <summary>Folder that projector paths resolve against.</summary>
    public string BaseDirectory { get; private init; } = "";

    /// <summary>SHA-256 of the file's text (UTF-8), for job fingerprints.</summary>
    public string ContentHash { get; private init; } = "";

    /// <summary>The file's text, so a job can ship it to silos on other machines.</summary>
    public string Json { get; private init; } = "";

    /// <summary>Finds a bond by name.</summary>
    /// <exception cref="BondFileException">No bond has that name.</exception>
    public BondSpec GetBond(string name) =>
        Bonds.FirstOrDefault(bond => bond.Name == name)
        ?? throw new BondFileException(
            $"bond '{name}' is not declared in bond file '{Name}'; declared bonds: " +
            string.Join(", ", Bonds.Select(bond => bond.Name)));

    /// <summary>Reads and validates a bond file; projector paths resolve against its folder.</summary>
    /// <param name="path">Bond file path.</param>
    /// <param name="loadProjectorSet">Reads the projector set in a folder, given its full path.</param>
    /// <exception cref="BondFileException">The file is missing, not valid JSON, or invalid.</exception>
    public static BondFile Load(string path, Func<string, ProjectorSet> loadProjectorSet)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new BondFileException($"bond file '{path}' not found: pass an existing JSON file.");
        }

        return Parse(File.ReadAllText(fullPath), Path.GetDirectoryName(fullPath)!, loadProjectorSet, path);
    }

    /// <summary>
    /// Parses and validates bond-file JSON whose projector paths resolve against <paramref name="baseDirectory"/>.
    /// </summary>
    /// <param name="json">The file's text; comments and trailing commas are allowed.</param>
    /// <param name="baseDirectory">Folder that relative projector paths resolve against.</param>
    /// <param name="loadProjectorSet">Reads the projector set in a folder, given its full path.</param>
    /// <param name="displayName">Name of the file in error messages.</param>
    /// <exception cref="BondFileException">The JSON is invalid or the graph has problems; the message lists all of them.</exception>
    public static BondFile Parse(
        string json, string baseDirectory, Func<string, ProjectorSet> loadProjectorSet, string displayName = "bond file")
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(loadProjectorSet);

        CheckJson(json, displayName);

        BondFileJson? source;
        try
        {
            source = JsonSerializer.Deserialize<BondFileJson>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new BondFileException(
                $"{displayName} is not a valid bond file: {JsonShapeChecker.Describe(exception)}", exception);
        }

        if (source is null)
        {
            throw new BondFileException($"{displayName} is empty: declare \"base\", \"spaces\" and \"bonds\".");
        }

        var builder = new BondFileBuilder(source, baseDirectory, loadProjectorSet);
        builder.Build();
        if (builder.Problems.Count > 0 || builder.BaseSpace is null)
        {
            throw new BondFileException(
                $"{displayName} has {builder.Problems.Count} problem(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", builder.Problems));
        }

        return new BondFile(source.Name!, builder.BaseSpace, builder.Spaces, builder.Bonds, builder.Profiles)
        {
            BaseDirectory = baseDirectory,
            Json = json,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))),
        };
    }

    /// <summary>
    /// Checks the JSON syntax, the keys and the kinds of values without reading projectors, so a
    /// client can reject a wrong file, naming its path, before sending it to a cluster.
    /// </summary>
    /// <param name="json">The file's text.</param>
    /// <param name="displayName">Name of the file in error messages, usually its path.</param>
    /// <exception cref="BondFileException">The JSON is invalid, has unknown keys or values of the wrong kind.</exception>
    public static void CheckJson(string json, string displayName)
    {
        ArgumentNullException.ThrowIfNull(json);

        var problems = JsonShapeChecker.Check(json, typeof(BondFileJson), JsonOptions);
        if (problems.Count > 0)
        {
            throw new BondFileException(FormatShapeProblems(displayName, json, problems));
        }
    }

    private static string FormatShapeProblems(string displayName, string json, IReadOnlyList<string> problems)
    {
        var heading = $"{displayName} is not a valid bond file";
        var text = problems.Count == 1
            ? $"{heading}: {problems[0]}"
            : $"{heading}, {problems.Count} problems:{Environment.NewLine}  " +
              string.Join(Environment.NewLine + "  ", problems);

        // A spaces file passed by mistake has "spaces" as an array, so the message names the right option.
        if (!LooksLikeSpacesFile(json))
        {
            return text;
        }

        var separator = problems.Count == 1 ? ". " : Environment.NewLine;
        return $"{text}{separator}It looks like a spaces file: pass it with --spaces, and a bond file with --bonds.";
    }

    private static bool LooksLikeSpacesFile(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("spaces", out var spaces)
                && spaces.ValueKind == JsonValueKind.Array;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
