using System.Diagnostics;

namespace FreeBind.AppHost.Tests;

public sealed class ManifestTests
{
    private const string RegenerateCommand =
        "dotnet run --project FreeBind.AppHost --no-build -- --publisher manifest --output-path ../aspire-manifest.json";

    [Fact]
    public async Task CommittedManifestMatchesAppHost()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var committedPath = Path.Combine(RepositoryPaths.Root, "aspire-manifest.json");
        Assert.True(File.Exists(committedPath), $"{committedPath} is missing; create it with: {RegenerateCommand}");

        // Paths in the manifest are relative to its own folder, so the fresh copy is written next
        // to the committed one rather than under /tmp.
        var freshName = $".aspire-manifest-check-{Guid.NewGuid():N}.json";
        var freshPath = Path.Combine(RepositoryPaths.Root, freshName);
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = RepositoryPaths.Root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var argument in new[]
                     {
                         "run", "--project", "FreeBind.AppHost", "--no-build", "--",
                         "--publisher", "manifest", "--output-path", Path.Combine("..", freshName),
                     })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(
                process.ExitCode == 0,
                $"the app host exited with {process.ExitCode} while writing the manifest:\n{await output}\n{await error}");

            var committed = Normalize(await File.ReadAllTextAsync(committedPath, timeout.Token));
            var fresh = Normalize(await File.ReadAllTextAsync(freshPath, timeout.Token));
            Assert.True(
                committed == fresh,
                $"aspire-manifest.json is out of date with FreeBind.AppHost; regenerate it with: {RegenerateCommand}");
        }
        finally
        {
            File.Delete(freshPath);
        }
    }

    private static string Normalize(string json) => json.Replace("\r\n", "\n", StringComparison.Ordinal).Trim();
}
