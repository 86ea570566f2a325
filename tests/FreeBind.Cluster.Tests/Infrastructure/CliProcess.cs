using System.Diagnostics;
using System.Runtime.InteropServices;

namespace FreeBind.Tests.Infrastructure;

/// <summary>Starts the built <c>freebind</c> CLI as a separate process and sends POSIX signals to processes.</summary>
public static class CliProcess
{
    /// <summary>SIGTERM, the signal a service manager sends to stop a process.</summary>
    public const int SigTerm = 15;

    /// <summary>
    /// Returns a start description that runs <c>dotnet freebind.dll</c> with <paramref name="arguments"/> and
    /// redirected output. The CLI is the one built beside this test project, in the same configuration.
    /// </summary>
    public static ProcessStartInfo CreateStartInfo(params string[] arguments)
    {
        var project = Path.Combine(RepositoryPaths.Root, "tests", "FreeBind.Cluster.Tests");
        var relative = Path.GetRelativePath(project, AppContext.BaseDirectory);
        var cli = Path.Combine(RepositoryPaths.Root, "FreeBind.Client", relative, "freebind.dll");
        Assert.True(File.Exists(cli), $"'{cli}' is missing: build tests/FreeBind.Cluster.Tests, which builds FreeBind.Client.");

        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(cli);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        return startInfo;
    }

    /// <summary>Sends <paramref name="signal"/> to the process, and fails with the error number when the call does.</summary>
    public static void SendSignal(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
        {
            throw new InvalidOperationException($"kill({processId}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    // DllImport, not LibraryImport, because the latter needs unsafe code enabled in the project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
