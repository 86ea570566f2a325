namespace FreeBind.Client;

/// <summary>Normalises locations and list options given on the command line.</summary>
internal static class Locations
{
    /// <summary>Makes a local path absolute (silos may run in another folder); leaves URIs alone.</summary>
    public static string Resolve(string location) =>
        location.Contains("://", StringComparison.Ordinal) ? location : Path.GetFullPath(location);

    /// <summary>Splits repeated and comma-separated values into one list.</summary>
    public static List<string> Split(string[]? values) =>
        (values ?? [])
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
}
