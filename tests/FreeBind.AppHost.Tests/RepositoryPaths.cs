namespace FreeBind.AppHost.Tests;

/// <summary>Locates the repository root from the test's output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder that contains FreeBind.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "FreeBind.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException(
            $"FreeBind.sln was not found above {AppContext.BaseDirectory}; run the tests from inside the repository.");
    }
}
