using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// One <c>FreeBind.Silo</c> process started with <c>dotnet FreeBind.Silo.dll</c>, configured by
/// environment variables. Disposing kills the process it started.
/// </summary>
public sealed partial class SiloProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private int shardsStarted;
    private int jobsStarted;

    private SiloProcess(string name, int siloPort, int gatewayPort, Process process)
    {
        Name = name;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        this.process = process;
    }

    /// <summary>Name used in failure messages.</summary>
    public string Name { get; }

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; }

    /// <summary>Client gateway port.</summary>
    public int GatewayPort { get; }

    /// <summary>Shard calls this silo logged as started.</summary>
    public int ShardsStarted => Volatile.Read(ref shardsStarted);

    /// <summary>True when this silo logged the start of a job, so it hosts that job's coordinator.</summary>
    public bool HostsCoordinator => Volatile.Read(ref jobsStarted) > 0;

    /// <summary>True once the process has ended.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Path of the built silo, next to this test project's output in the same configuration.</summary>
    public static string SiloAssemblyPath
    {
        get
        {
            var project = Path.Combine(RepositoryPaths.Root, "tests", "FreeBind.Cluster.Tests");
            var relative = Path.GetRelativePath(project, AppContext.BaseDirectory);
            return Path.Combine(RepositoryPaths.Root, "FreeBind.Silo", relative, "FreeBind.Silo.dll");
        }
    }

    /// <summary>Starts a silo with the given environment on the given ports.</summary>
    public static SiloProcess Start(string name, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> environment)
    {
        var dll = SiloAssemblyPath;
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"The silo is not built: '{dll}' is missing; build tests/FreeBind.Cluster.Tests, which builds FreeBind.Silo.");
        }

        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        startInfo.Environment["Orleans__Endpoints__SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["Orleans__Endpoints__GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        startInfo.Environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        startInfo.Environment["Logging__LogLevel__Default"] = "Information";
        startInfo.Environment["Logging__LogLevel__Orleans"] = "Warning";
        startInfo.Environment["Logging__LogLevel__FreeBind.Jobs.EncoderGrain"] = "Debug";

        var process = new Process { StartInfo = startInfo };
        var silo = new SiloProcess(name, siloPort, gatewayPort, process);
        process.OutputDataReceived += (_, e) => silo.Append(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Append(e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Starting silo {name} with `dotnet {dll}` failed.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>Kills the process at once, as a crash would (SIGKILL).</summary>
    public void Kill()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit(TimeSpan.FromSeconds(15));
        }
    }

    /// <summary>
    /// Stops the process as a service manager would (SIGTERM), so the silo shuts down gracefully,
    /// and waits up to <paramref name="timeout"/> for it to exit.
    /// </summary>
    /// <returns>True when the process exited in time.</returns>
    public bool Terminate(TimeSpan timeout)
    {
        if (!process.HasExited)
        {
            CliProcess.SendSignal(process.Id, CliProcess.SigTerm);
        }

        return process.WaitForExit(timeout);
    }

    /// <summary>The last lines the silo printed, for failure messages.</summary>
    public string GetOutput()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Kill();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (ShardStarted().IsMatch(line))
        {
            Interlocked.Increment(ref shardsStarted);
        }

        if (JobStarted().IsMatch(line))
        {
            Interlocked.Increment(ref jobsStarted);
        }

        lock (output)
        {
            if (output.Length > 1 << 16)
            {
                output.Remove(0, output.Length / 2);
            }

            output.AppendLine(line);
        }
    }

    [GeneratedRegex(@"shard \d+ started on silo")]
    private static partial Regex ShardStarted();

    [GeneratedRegex(@"Job \S+ started: input")]
    private static partial Regex JobStarted();
}
