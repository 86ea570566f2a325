namespace FreeBind.Training;

/// <summary>Where a training job writes under its output root.</summary>
public static class TrainingLayout
{
    /// <summary><c>training/&lt;bond&gt;/</c>, or <c>training/&lt;bond&gt;/&lt;expert&gt;/</c> for one expert of a parallel bond.</summary>
    public static string Root(string bond, string? expert) =>
        expert is null ? $"training/{bond}/" : $"training/{bond}/{expert}/";

    /// <summary>The trained projector set: <c>&lt;mode&gt;.json</c> and <c>&lt;mode&gt;.safetensors</c> per data mode (the best weights).</summary>
    public static string Projectors(string bond, string? expert) => Root(bond, expert) + "projectors/";

    /// <summary>
    /// Checkpoint of one mode at optimiser step <paramref name="step"/>, without extension (three files:
    /// .json, .safetensors, .optimizer.safetensors). Each step has its own path, so a checkpoint is
    /// never overwritten while the trainer's state still points at it.
    /// </summary>
    public static string Checkpoint(string bond, string? expert, string mode, long step) =>
        Root(bond, expert) + $"checkpoints/{mode}/step-{step:D8}";

    /// <summary>Training and validation metrics of one mode, one CSV row per step or validation.</summary>
    public static string Metrics(string bond, string? expert, string mode) => Root(bond, expert) + $"metrics/{mode}.csv";

    /// <summary>Suffixes of the files <see cref="TrainingCheckpoint.Save"/> writes.</summary>
    public static IReadOnlyList<string> CheckpointSuffixes { get; } = [".json", ".safetensors", ".optimizer.safetensors"];

    /// <summary>Suffixes of a projector written by <c>ProjectorCheckpoint.Save</c>.</summary>
    public static IReadOnlyList<string> ProjectorSuffixes { get; } = [".json", ".safetensors"];
}
