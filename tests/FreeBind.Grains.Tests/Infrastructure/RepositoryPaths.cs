namespace FreeBind.Tests.Infrastructure;

/// <summary>Locations in the repository the tests read from.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding FreeBind.sln, found by walking up from the test assembly.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The sample corpus the README's first command embeds.</summary>
    public static string SampleCorpus => Path.Combine(Root, "samples", "corpus");

    /// <summary>The sample spaces file: ResNet18, MiniLM and the generated audio encoder.</summary>
    public static string SampleSpaces => Path.Combine(Root, "samples", "spaces.json");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FreeBind.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"FreeBind.sln not found above '{AppContext.BaseDirectory}'.");
    }
}
