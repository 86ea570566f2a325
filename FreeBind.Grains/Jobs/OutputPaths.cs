namespace FreeBind.Jobs;

/// <summary>Checks of a job's local output path made before the job starts.</summary>
internal static class OutputPaths
{
    /// <summary>Returns <paramref name="path"/> or its nearest ancestor when that is an existing file, else null.</summary>
    public static string? FindFileOnPath(string path)
    {
        for (var current = path; !string.IsNullOrEmpty(current); current = Path.GetDirectoryName(current))
        {
            if (File.Exists(current))
            {
                return current;
            }

            if (Directory.Exists(current))
            {
                return null;
            }
        }

        return null;
    }
}
