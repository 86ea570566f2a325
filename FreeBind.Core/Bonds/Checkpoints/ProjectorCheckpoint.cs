using System.Text.Json;

namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// Converts between PyTorch state_dicts of FreeBind projectors and <see cref="ProjectorWeights"/>,
/// and saves and loads projectors in the native format (a safetensors file plus a JSON architecture file).
/// </summary>
/// <remarks>
/// The official projector is an <c>nn.Sequential</c> named <c>mlps</c>: index 0 Linear,
/// 1 BatchNorm1d, 2 activation, 3 Linear, 4 BatchNorm1d, so its keys are <c>0.weight</c>,
/// <c>1.running_mean</c>, <c>3.bias</c> and so on under a prefix such as <c>Head2.mlps.</c>.
/// Without BatchNorm the indices are 0 Linear, 1 activation, 2 Linear.
/// </remarks>
public static class ProjectorCheckpoint
{
    /// <summary>Version written to and expected in the native JSON file.</summary>
    public const int FormatVersion = 1;

    /// <summary>Key prefix of the projector in the official FreeBind checkpoints.</summary>
    // NOTE: this prefix and the index layout follow the published description of FreeBind's
    // projectors; they have not been checked against a released checkpoint file.
    public const string OfficialPrefix = "Head2.mlps.";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
    };

    /// <summary>Builds projector weights from a state_dict in the official layout.</summary>
    /// <param name="tensors">State_dict tensors by key, for example from <see cref="TorchCheckpointReader"/>.</param>
    /// <param name="prefix">
    /// Key prefix of the projector's <c>nn.Sequential</c>, such as <c>Head2.mlps.</c>; "" for bare
    /// keys (<c>0.weight</c>); null to detect the single prefix ending in <c>mlps.</c>.
    /// </param>
    /// <param name="activation">Activation between the layers, which state_dicts do not record: relu, gelu, silu or tanh.</param>
    /// <param name="epsilon">BatchNorm epsilon, which state_dicts do not record; PyTorch's default is 1e-5.</param>
    /// <returns>Weights whose arrays are copies of the tensor values.</returns>
    /// <exception cref="InvalidDataException">A key is missing or unexpected, or a shape does not match.</exception>
    /// <exception cref="ArgumentException">The activation is not supported.</exception>
    public static ProjectorWeights FromStateDict(
        IReadOnlyDictionary<string, CheckpointTensor> tensors,
        string? prefix = OfficialPrefix,
        string activation = "relu",
        float epsilon = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        ArgumentNullException.ThrowIfNull(activation);
        if (!ProjectorMath.Activations.Contains(activation))
        {
            throw new ArgumentException(
                $"activation '{activation}' is not supported; use one of {string.Join(", ", ProjectorMath.Activations)}",
                nameof(activation));
        }

        // NOTE: state_dicts record neither the activation nor epsilon, so a wrong argument gives
        // wrong outputs without an error.
        prefix ??= DetectPrefix(tensors.Keys);
        var layout = new StateDictLayout(tensors, prefix);
        bool batchNorm = layout.Contains("1.running_mean") || layout.Contains("4.weight");
        if (!batchNorm && !layout.Contains("2.weight"))
        {
            throw new InvalidDataException(
                $"state_dict has no projector under prefix '{prefix}': expected '{prefix}0.weight' and either "
                + $"'{prefix}1.running_mean' (with BatchNorm) or '{prefix}2.weight' (without); {layout.DescribeKeys()}");
        }

        string second = batchNorm ? "3" : "2";
        CheckpointTensor weight1 = layout.RequireMatrix("0.weight");
        CheckpointTensor weight2 = layout.RequireMatrix(second + ".weight");
        int hidden = (int)weight1.Shape[0];
        int input = (int)weight1.Shape[1];
        int output = (int)weight2.Shape[0];
        var architecture = new ProjectorArchitecture(input, hidden, output, activation, batchNorm, epsilon);

        var expected = new List<string> { "0.weight", "0.bias", second + ".weight", second + ".bias" };
        var weights = new ProjectorWeights
        {
            Architecture = architecture,
            Weight1 = layout.Require("0.weight", hidden, input),
            Bias1 = layout.Require("0.bias", hidden),
            Weight2 = layout.Require(second + ".weight", output, hidden),
            Bias2 = layout.Require(second + ".bias", output),
            Norm1Scale = batchNorm ? layout.Require("1.weight", hidden) : null,
            Norm1Shift = batchNorm ? layout.Require("1.bias", hidden) : null,
            Norm1RunningMean = batchNorm ? layout.Require("1.running_mean", hidden) : null,
            Norm1RunningVariance = batchNorm ? layout.Require("1.running_var", hidden) : null,
            Norm2Scale = batchNorm ? layout.Require("4.weight", output) : null,
            Norm2Shift = batchNorm ? layout.Require("4.bias", output) : null,
            Norm2RunningMean = batchNorm ? layout.Require("4.running_mean", output) : null,
            Norm2RunningVariance = batchNorm ? layout.Require("4.running_var", output) : null,
        };
        if (batchNorm)
        {
            foreach (string index in new[] { "1", "4" })
            {
                expected.AddRange(
                [
                    $"{index}.weight",
                    $"{index}.bias",
                    $"{index}.running_mean",
                    $"{index}.running_var",
                    $"{index}.num_batches_tracked",
                ]);
            }
        }

        layout.RejectUnexpected(expected, batchNorm);
        return weights;
    }

    /// <summary>
    /// Finds the one key prefix ending in <c>mlps.</c> (such as <c>Head2.mlps.</c>); returns ""
    /// when no key contains <c>mlps.</c> and the keys start with layer indices.
    /// </summary>
    /// <exception cref="InvalidDataException">No prefix or several prefixes fit.</exception>
    public static string DetectPrefix(IEnumerable<string> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        List<string> keyList = keys.ToList();
        var prefixes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (string key in keyList)
        {
            int index = key.LastIndexOf("mlps.", StringComparison.Ordinal);
            if (index >= 0 && (index == 0 || key[index - 1] == '.'))
            {
                prefixes.Add(key[..(index + "mlps.".Length)]);
            }
        }

        if (prefixes.Count == 1)
        {
            return prefixes.Min!;
        }

        if (prefixes.Count == 0 && keyList.Contains("0.weight"))
        {
            return "";
        }

        throw new InvalidDataException(prefixes.Count == 0
            ? $"no state_dict key contains 'mlps.' and there is no bare '0.weight' ({keyList.Count} keys, such as "
              + $"{string.Join(", ", keyList.Take(5).Select(key => $"'{key}'"))}); pass the projector's prefix explicitly"
            : $"state_dict contains several projectors ({string.Join(", ", prefixes.Select(p => $"'{p}'"))}); "
              + "pass the prefix of the one to load");
    }

    /// <summary>
    /// Saves a projector in the native format: <c>&lt;path&gt;.safetensors</c> with tensors named as in
    /// the PyTorch layout without prefix (<c>0.weight</c>, <c>1.running_mean</c>, …) and
    /// <c>&lt;path&gt;.json</c> with the architecture. Existing files are replaced.
    /// </summary>
    /// <param name="path">Path without extension, such as <c>bonds/imagebind-clap/mix</c>.</param>
    /// <param name="weights">Projector to save.</param>
    /// <exception cref="ArgumentException">The weights do not match their architecture.</exception>
    public static void Save(string path, ProjectorWeights weights)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(weights);
        ProjectorMath.Validate(weights);
        ProjectorArchitecture architecture = weights.Architecture;

        int input = architecture.InputDimension;
        int hidden = architecture.HiddenDimension;
        int output = architecture.OutputDimension;
        string second = architecture.BatchNorm ? "3" : "2";
        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        Add(tensors, "0.weight", weights.Weight1, hidden, input);
        Add(tensors, "0.bias", weights.Bias1, hidden);
        if (architecture.BatchNorm)
        {
            Add(tensors, "1.weight", weights.Norm1Scale!, hidden);
            Add(tensors, "1.bias", weights.Norm1Shift!, hidden);
            Add(tensors, "1.running_mean", weights.Norm1RunningMean!, hidden);
            Add(tensors, "1.running_var", weights.Norm1RunningVariance!, hidden);
        }

        Add(tensors, second + ".weight", weights.Weight2, output, hidden);
        Add(tensors, second + ".bias", weights.Bias2, output);
        if (architecture.BatchNorm)
        {
            Add(tensors, "4.weight", weights.Norm2Scale!, output);
            Add(tensors, "4.bias", weights.Norm2Shift!, output);
            Add(tensors, "4.running_mean", weights.Norm2RunningMean!, output);
            Add(tensors, "4.running_var", weights.Norm2RunningVariance!, output);
        }

        var metadata = new Dictionary<string, string>
        {
            ["format"] = "freebind-projector",
            ["formatVersion"] = FormatVersion.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        SafetensorsFile.Write(path + ".safetensors", tensors, metadata);

        var manifest = new ProjectorManifest(
            FormatVersion, input, hidden, output, architecture.Activation, architecture.BatchNorm, architecture.Epsilon);
        File.WriteAllText(path + ".json", JsonSerializer.Serialize(manifest, JsonOptions) + "\n");
    }

    /// <summary>Loads a projector saved by <see cref="Save"/> from <c>&lt;path&gt;.json</c> and <c>&lt;path&gt;.safetensors</c>.</summary>
    /// <param name="path">Path without extension.</param>
    /// <exception cref="FileNotFoundException">One of the two files is missing.</exception>
    /// <exception cref="InvalidDataException">The files are invalid or disagree with each other.</exception>
    public static ProjectorWeights Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string manifestPath = path + ".json";
        string tensorPath = path + ".safetensors";
        ProjectorManifest manifest = ReadManifest(manifestPath);
        if (!File.Exists(tensorPath))
        {
            throw new FileNotFoundException(
                $"projector weights '{tensorPath}' are missing next to '{manifestPath}'; save the projector again", tensorPath);
        }

        SafetensorsFile file = SafetensorsFile.Read(tensorPath);
        ProjectorWeights weights = FromStateDict(file.Tensors, "", manifest.Activation, manifest.Epsilon);
        ProjectorArchitecture found = weights.Architecture;
        if (found.InputDimension != manifest.InputDimension
            || found.HiddenDimension != manifest.HiddenDimension
            || found.OutputDimension != manifest.OutputDimension
            || found.BatchNorm != manifest.BatchNorm)
        {
            throw new InvalidDataException(
                $"projector '{path}': '{manifestPath}' declares {manifest.InputDimension} → {manifest.HiddenDimension} → "
                + $"{manifest.OutputDimension} (BatchNorm {manifest.BatchNorm}) but '{tensorPath}' contains "
                + $"{found.InputDimension} → {found.HiddenDimension} → {found.OutputDimension} (BatchNorm {found.BatchNorm}); "
                + "save the projector again");
        }

        return weights;
    }

    private static ProjectorManifest ReadManifest(string manifestPath)
    {
        if (!File.Exists(manifestPath))
        {
            throw new FileNotFoundException($"projector architecture file '{manifestPath}' is missing", manifestPath);
        }

        ProjectorManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<ProjectorManifest>(File.ReadAllText(manifestPath), JsonOptions);
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"projector architecture file '{manifestPath}' is invalid JSON: {exception.Message}", exception);
        }

        if (manifest is null || manifest.Activation is null)
        {
            throw new InvalidDataException($"projector architecture file '{manifestPath}' has no activation");
        }

        if (manifest.FormatVersion != FormatVersion)
        {
            throw new InvalidDataException(
                $"projector architecture file '{manifestPath}' has format version {manifest.FormatVersion}; "
                + $"this reader supports version {FormatVersion}");
        }

        return manifest;
    }

    private static void Add(Dictionary<string, CheckpointTensor> tensors, string name, float[] values, params long[] shape)
        => tensors[name] = new CheckpointTensor(name, shape, values);
}
