using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

using FreeBind.Media;
using FreeBind.Serialization;

namespace FreeBind.Spaces;

/// <summary>
/// The spaces file: every space a job can embed into and, per modality, its encoder.
/// </summary>
public sealed partial class SpacesFile
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNameCaseInsensitive = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Declared spaces.</summary>
    public List<SpaceSpec> Spaces { get; set; } = [];

    /// <summary>Folder that relative paths in the file resolve against; set by <see cref="Load"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string BaseDirectory { get; private set; } = "";

    /// <summary>SHA-256 of the file's bytes, part of every job fingerprint.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string ContentHash { get; private set; } = "";

    /// <summary>The file's text, so a job can ship it to silos on other machines.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Json { get; private set; } = "";

    /// <summary>Reads and validates a spaces file.</summary>
    /// <exception cref="SpacesFileException">The file is missing, not valid JSON, or has invalid values.</exception>
    public static SpacesFile Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new SpacesFileException($"spaces file '{path}' not found: pass an existing JSON file to --spaces.");
        }

        return Parse(File.ReadAllText(fullPath), Path.GetDirectoryName(fullPath)!, path);
    }

    /// <summary>Parses and validates spaces-file JSON whose relative paths resolve against <paramref name="baseDirectory"/>.</summary>
    /// <exception cref="SpacesFileException">The JSON is invalid or has invalid values.</exception>
    public static SpacesFile Parse(string json, string baseDirectory, string displayName = "spaces file")
    {
        var shapeProblems = JsonShapeChecker.Check(json, typeof(SpacesFile), JsonOptions);
        if (shapeProblems.Count > 0)
        {
            throw new SpacesFileException(FormatProblems($"{displayName} is not a valid spaces file", shapeProblems));
        }

        SpacesFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SpacesFile>(json, JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new SpacesFileException(
                $"{displayName} is not a valid spaces file: {JsonShapeChecker.Describe(exception)}", exception);
        }

        if (file is null)
        {
            throw new SpacesFileException($"{displayName} is empty: declare at least one space.");
        }

        file.BaseDirectory = baseDirectory;
        file.ResolveBuiltinFiles();
        file.Json = json;
        file.ContentHash = Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));

        var problems = file.Validate().ToList();
        if (problems.Count > 0)
        {
            throw new SpacesFileException(
                $"{displayName} has {problems.Count} problem(s):{Environment.NewLine}  " +
                string.Join(Environment.NewLine + "  ", problems));
        }

        return file;
    }

    private static string FormatProblems(string heading, IReadOnlyList<string> problems) =>
        problems.Count == 1
            ? $"{heading}: {problems[0]}"
            : $"{heading}, {problems.Count} problems:{Environment.NewLine}  " +
              string.Join(Environment.NewLine + "  ", problems);

    /// <summary>Finds a space by name.</summary>
    /// <exception cref="SpacesFileException">No space has that name.</exception>
    public SpaceSpec GetSpace(string name) =>
        Spaces.FirstOrDefault(space => space.Name == name)
        ?? throw new SpacesFileException(
            $"space '{name}' is not declared; declared spaces: {string.Join(", ", Spaces.Select(s => s.Name))}.");

    /// <summary>
    /// Replaces <c>builtin:</c> tokenizer files (e.g. <c>builtin:minilm/vocab.txt</c>) by their path
    /// on this machine, so every silo resolves them against its own copy of the package files.
    /// </summary>
    private void ResolveBuiltinFiles()
    {
        const string Prefix = "builtin:";

        // NOTE: this resolves against the application's models folder, not a configured
        // FreeBind:Encoders:BuiltinModelDirectory, which only applies to models.
        var resolver = new Encoders.ModelResolver();
        foreach (var recipe in Spaces.SelectMany(s => s.Encoders).Select(e => e.Preprocess).OfType<Text.TextRecipe>())
        {
            if (recipe.Vocab.StartsWith(Prefix, StringComparison.Ordinal))
            {
                recipe.Vocab = resolver.GetBuiltinFile(recipe.Vocab[Prefix.Length..]);
            }

            if (recipe.Merges?.StartsWith(Prefix, StringComparison.Ordinal) == true)
            {
                recipe.Merges = resolver.GetBuiltinFile(recipe.Merges[Prefix.Length..]);
            }
        }
    }

    private IEnumerable<string> Validate()
    {
        if (Spaces.Count == 0)
        {
            yield return "no spaces declared: add at least one entry to \"spaces\"";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var space in Spaces)
        {
            if (!SpaceNamePattern().IsMatch(space.Name))
            {
                yield return $"space name '{space.Name}' is invalid: use letters, digits, '-', '_' and '.'";
            }
            else if (!seen.Add(space.Name))
            {
                yield return $"space '{space.Name}' is declared twice";
            }

            var modalities = new HashSet<Modality>();
            foreach (var encoder in space.Encoders)
            {
                var label = $"encoder '{space.Name}/{encoder.Modality.ToName()}'";
                if (!modalities.Add(encoder.Modality))
                {
                    yield return $"{label} is declared twice";
                }

                foreach (var problem in ValidateEncoder(encoder))
                {
                    yield return $"{label}: {problem}";
                }
            }

            if (space.Encoders.Count == 0)
            {
                yield return $"space '{space.Name}' has no encoders";
            }
        }
    }

    private IEnumerable<string> ValidateEncoder(EncoderSpec encoder)
    {
        if (string.IsNullOrWhiteSpace(encoder.Model))
        {
            yield return "\"model\" is missing";
        }

        if (string.IsNullOrWhiteSpace(encoder.Output))
        {
            yield return "\"output\" is missing: name the model output that holds the embedding";
        }

        if (encoder.Dimension <= 0)
        {
            yield return $"\"dimension\" is {encoder.Dimension}: give the embedding dimension (> 0)";
        }

        if (encoder.BatchSize is <= 0 or > 4096)
        {
            yield return $"\"batchSize\" is {encoder.BatchSize}: use 1 to 4096";
        }

        if (encoder.Pooling is not ("none" or "mean" or "masked-mean" or "first"))
        {
            yield return $"\"pooling\" is '{encoder.Pooling}': use none, mean, masked-mean or first";
        }

        if (encoder.Preprocess is null)
        {
            yield return "\"preprocess\" is missing: add a recipe with \"kind\": image, text or audio";
            yield break;
        }

        var recipeModality = encoder.Preprocess switch
        {
            Imaging.ImageRecipe => Modality.Image,
            Audio.AudioRecipe => Modality.Audio,
            _ => Modality.Text,
        };
        if (recipeModality != encoder.Modality)
        {
            yield return $"preprocess kind '{recipeModality.ToName()}' does not match modality '{encoder.Modality.ToName()}'";
        }

        foreach (var problem in encoder.Preprocess.Validate(BaseDirectory))
        {
            yield return problem;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SpaceNamePattern();
}
