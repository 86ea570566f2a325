namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// Loads a <see cref="ProjectorSet"/> from a folder with one native projector per data mode
/// (<c>mix.safetensors</c> and <c>mix.json</c>, <c>A.*</c>, <c>T.*</c>, …), as written by
/// <see cref="ProjectorCheckpoint.Save"/>.
/// </summary>
public static class ProjectorSetFiles
{
    /// <summary>Data modes of a FreeBind projector set, in file-name spelling.</summary>
    public static IReadOnlyList<string> DataModes { get; } = ["mix", "A", "T", "V", "AT", "AV", "TV"];

    /// <summary>Loads every data mode present in <paramref name="folder"/> into a set named after the folder.</summary>
    /// <param name="folder">Folder containing <c>&lt;mode&gt;.json</c> and <c>&lt;mode&gt;.safetensors</c> pairs.</param>
    /// <returns>A set with a member for each data mode found, in <see cref="DataModes"/> order.</returns>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// No data mode is present, or the members disagree on input or output dimension.
    /// </exception>
    public static ProjectorSet Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"projector set folder '{folder}' does not exist");
        }

        // Load each mode that has either file, so a half-written pair fails with the missing file's name.
        var members = new Dictionary<string, ProjectorWeights>(StringComparer.Ordinal);
        foreach (string mode in DataModes)
        {
            string basePath = Path.Combine(folder, mode);
            if (File.Exists(basePath + ".json") || File.Exists(basePath + ".safetensors"))
            {
                members[mode] = ProjectorCheckpoint.Load(basePath);
            }
        }

        if (members.Count == 0)
        {
            throw new InvalidDataException(
                $"projector set folder '{folder}' contains no projector; expected <mode>.json and <mode>.safetensors "
                + $"for data modes {string.Join(", ", DataModes)}");
        }

        ProjectorArchitecture first = members.Values.First().Architecture;
        foreach ((string mode, ProjectorWeights weights) in members)
        {
            ProjectorArchitecture architecture = weights.Architecture;
            if (architecture.InputDimension != first.InputDimension || architecture.OutputDimension != first.OutputDimension)
            {
                throw new InvalidDataException(
                    $"projector set '{folder}': data mode '{mode}' maps {architecture.InputDimension} → "
                    + $"{architecture.OutputDimension} but '{members.Keys.First()}' maps {first.InputDimension} → "
                    + $"{first.OutputDimension}; every member of a set must map the same spaces");
            }
        }

        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)));
        return new ProjectorSet(name, members);
    }
}
