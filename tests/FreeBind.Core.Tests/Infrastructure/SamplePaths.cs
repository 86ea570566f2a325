namespace FreeBind.Tests.Infrastructure;

/// <summary>Locates the repository's committed sample corpus from the test output folder.</summary>
internal static class SamplePaths
{
    /// <summary>Returns the full path of <c>samples/corpus</c>, searching upwards from the test binaries.</summary>
    /// <exception cref="DirectoryNotFoundException">No folder above the test binaries contains samples/corpus.</exception>
    public static string Corpus()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "samples", "corpus")))
        {
            directory = directory.Parent;
        }

        return directory is null
            ? throw new DirectoryNotFoundException($"samples/corpus not found above '{AppContext.BaseDirectory}': run the tests from the repository.")
            : Path.Combine(directory.FullName, "samples", "corpus");
    }
}
