namespace FreeBind.Training.Pseudo;

/// <summary>Where pseudo datasets go under an output root.</summary>
public static class PseudoLayout
{
    /// <summary>
    /// Folder of one data mode: <c>pseudo/&lt;bond&gt;/&lt;mode&gt;/</c>, or
    /// <c>pseudo/&lt;bond&gt;/&lt;expert&gt;/&lt;mode&gt;/</c> for one expert of a parallel bond.
    /// </summary>
    public static string Folder(string bond, string? expert, string mode) =>
        expert is null ? $"pseudo/{bond}/{mode}/" : $"pseudo/{bond}/{expert}/{mode}/";

    /// <summary>Part file <paramref name="part"/> of a data mode, e.g. <c>pseudo/c-clap/mix/part-00000.parquet</c>.</summary>
    public static string Part(string folder, int part) => $"{folder}part-{part:D5}.parquet";

    /// <summary>Manifest of a data mode, written after its last part.</summary>
    public static string Manifest(string folder) => $"{folder}manifest.json";
}
