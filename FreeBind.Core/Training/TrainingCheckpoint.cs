using System.Globalization;
using System.Text.Json;

using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;

namespace FreeBind.Training;

/// <summary>
/// Saves and loads a <see cref="ProjectorTrainingState"/>: the weights through
/// <see cref="ProjectorCheckpoint"/> (<c>&lt;path&gt;.safetensors</c> and <c>&lt;path&gt;.json</c>) and the
/// optimiser in <c>&lt;path&gt;.optimizer.safetensors</c>, whose tensors are named
/// <c>exp_avg.&lt;parameter&gt;</c> and <c>exp_avg_sq.&lt;parameter&gt;</c> and whose metadata stores
/// the step, the batch count and the log-scale.
/// </summary>
public static class TrainingCheckpoint
{
    private const string FirstPrefix = "exp_avg.";
    private const string SecondPrefix = "exp_avg_sq.";

    /// <summary>Writes the three files, replacing existing ones.</summary>
    /// <param name="path">Path without extension.</param>
    /// <param name="state">State to save.</param>
    public static void Save(string path, ProjectorTrainingState state)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(state);
        ProjectorCheckpoint.Save(path, state.Weights);

        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        foreach ((string name, float[] values) in state.Optimizer.FirstMoment)
        {
            tensors[FirstPrefix + name] = new CheckpointTensor(FirstPrefix + name, [values.Length], values);
        }

        foreach ((string name, float[] values) in state.Optimizer.SecondMoment)
        {
            tensors[SecondPrefix + name] = new CheckpointTensor(SecondPrefix + name, [values.Length], values);
        }

        var metadata = new Dictionary<string, string>
        {
            ["format"] = "freebind-training-state",
            ["step"] = state.Optimizer.Step.ToString(CultureInfo.InvariantCulture),
            ["batchesTracked"] = state.BatchesTracked.ToString(CultureInfo.InvariantCulture),
            ["logScale"] = state.LogScale.ToString("R", CultureInfo.InvariantCulture),
        };
        SafetensorsFile.Write(path + ".optimizer.safetensors", tensors, metadata);
    }

    /// <summary>Reads a state written by <see cref="Save"/>.</summary>
    /// <param name="path">Path without extension.</param>
    /// <param name="options">Options the training continues with.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The optimiser file is invalid or belongs to another projector.</exception>
    public static ProjectorTrainingState Load(string path, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        ProjectorWeights weights = ProjectorCheckpoint.Load(path);
        string optimizerPath = path + ".optimizer.safetensors";
        if (!File.Exists(optimizerPath))
        {
            throw new FileNotFoundException(
                $"optimizer state '{optimizerPath}' is missing next to the projector '{path}.safetensors'; save the training state again",
                optimizerPath);
        }

        SafetensorsFile file = SafetensorsFile.Read(optimizerPath);
        var state = new ProjectorTrainingState(weights, options)
        {
            LogScale = float.Parse(Metadata(file, optimizerPath, "logScale"), CultureInfo.InvariantCulture),
            BatchesTracked = long.Parse(Metadata(file, optimizerPath, "batchesTracked"), CultureInfo.InvariantCulture),
        };
        state.Optimizer.Step = long.Parse(Metadata(file, optimizerPath, "step"), CultureInfo.InvariantCulture);

        var lengths = state.NamedParameters(learnableTemperature: true).ToDictionary(pair => pair.Name, pair => pair.Values.Length);
        foreach ((string key, CheckpointTensor tensor) in file.Tensors)
        {
            (Dictionary<string, float[]> moments, string name) = key.StartsWith(SecondPrefix, StringComparison.Ordinal)
                ? (state.Optimizer.SecondMoment, key[SecondPrefix.Length..])
                : key.StartsWith(FirstPrefix, StringComparison.Ordinal)
                    ? (state.Optimizer.FirstMoment, key[FirstPrefix.Length..])
                    : throw new InvalidDataException($"optimizer state '{optimizerPath}' has unexpected tensor '{key}'");
            if (!lengths.TryGetValue(name, out int length) || length != tensor.Values.Length)
            {
                throw new InvalidDataException(
                    $"optimizer state '{optimizerPath}': tensor '{key}' has {tensor.Values.Length} values, which fits no parameter "
                    + "of the saved projector; the files come from different runs");
            }

            moments[name] = tensor.Values;
        }

        return state;
    }

    private static string Metadata(SafetensorsFile file, string path, string key)
        => file.Metadata.TryGetValue(key, out string? value)
            ? value
            : throw new InvalidDataException($"optimizer state '{path}' has no '{key}' metadata; save the training state again");
}
