using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// A <c>redis-server</c> process on a free loopback port with persistence off and its own
/// temporary folder. Disposing kills the process it started and deletes the folder.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    /// <summary>Debian package that provides <c>redis-server</c>; also listed in debian-packages.txt.</summary>
    public const string DebianPackage = "redis-server";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly string folder;

    private RedisServer(Process process, int port, string folder)
    {
        this.process = process;
        this.folder = folder;
        Port = port;
    }

    /// <summary>Loopback port the server listens on.</summary>
    public int Port { get; }

    /// <summary>StackExchange.Redis connection string for this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>
    /// Starts <c>redis-server</c> and waits until it accepts connections. Throws when the
    /// executable is missing, naming the Debian package to install.
    /// </summary>
    public static async Task<RedisServer> StartAsync(CancellationToken cancellationToken)
    {
        var executable = FindExecutable()
            ?? throw new InvalidOperationException(
                $"redis-server is not installed (not in /usr/bin or on PATH): install the Debian package " +
                $"'{DebianPackage}' (test.sh installs the packages in debian-packages.txt when run as root).");

        var port = FreePort();
        var folder = Directory.CreateTempSubdirectory("freebind-redis-").FullName;
        var startInfo = new ProcessStartInfo(executable)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--dir", folder,
        })
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = startInfo };
        var server = new RedisServer(process, port, folder);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        DataReceivedEventHandler onLine = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (server.output)
            {
                server.output.AppendLine(e.Data);
            }

            if (e.Data.Contains("Ready to accept connections", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += onLine;
        process.ErrorDataReceived += onLine;
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => ready.TrySetException(
            new InvalidOperationException($"redis-server exited with code {process.ExitCode} before it was ready:\n{server.GetOutput()}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await ready.Task.WaitAsync(StartTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            await server.DisposeAsync();
            throw new TimeoutException($"redis-server on port {port} was not ready within {StartTimeout.TotalSeconds} s:\n{server.GetOutput()}");
        }

        return server;
    }

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string GetOutput()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            // Kill only the process this fixture started, by its id.
            process.Kill();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await process.WaitForExitAsync(timeout.Token);
        }

        process.Dispose();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder does not fail the tests.
        }
    }

    private static string? FindExecutable()
    {
        const string debianPath = "/usr/bin/redis-server";
        if (File.Exists(debianPath))
        {
            return debianPath;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
