using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// Starts Azurite (the Azure Storage emulator) from the repository's <c>node_modules</c> on free
/// loopback ports, and stops the process it started when disposed. Use it as a class fixture,
/// or through <c>AzuriteCollection</c> to share one instance.
/// </summary>
/// <remarks>
/// Azurite runs with <c>--skipApiVersionCheck</c> because Azure.Storage.Blobs 12.30.1 sends a
/// newer service version than Azurite 3.35.0 accepts. Data lives in a temporary folder, so
/// <see cref="RestartAsync"/> keeps blobs and tables. This file depends only on xUnit and the
/// BCL, so other test projects can copy it.
/// </remarks>
public sealed class AzuriteFixture : IAsyncLifetime
{
    /// <summary>Azurite's well-known development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>Azurite's published development key; it is not a secret.</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private const int SignalTerminate = 15;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(15);

    private readonly StringBuilder output = new();
    private Process? process;

    /// <summary>Creates the fixture; Azurite starts in <see cref="InitializeAsync"/>.</summary>
    public AzuriteFixture()
    {
        RepositoryRoot = FindRepositoryRoot();
        DataFolder = Directory.CreateTempSubdirectory("freebind-azurite-").FullName;
        (BlobPort, QueuePort, TablePort) = ReserveFreePorts();
    }

    /// <summary>Folder that contains FreeBind.sln.</summary>
    public string RepositoryRoot { get; }

    /// <summary>Azurite's data folder (its <c>--location</c>), deleted on dispose.</summary>
    public string DataFolder { get; }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>Blob endpoint including the account, e.g. <c>http://127.0.0.1:PORT/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint => new($"http://127.0.0.1:{BlobPort}/{AccountName}");

    /// <summary>Queue endpoint including the account.</summary>
    public Uri QueueEndpoint => new($"http://127.0.0.1:{QueuePort}/{AccountName}");

    /// <summary>Table endpoint including the account.</summary>
    public Uri TableEndpoint => new($"http://127.0.0.1:{TablePort}/{AccountName}");

    /// <summary>Connection string for the development account on this instance's ports.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint};";

    /// <summary>Starts Azurite and waits until its blob, queue and table endpoints respond.</summary>
    public async Task InitializeAsync()
    {
        await StartAsync(CancellationToken.None);
    }

    /// <summary>Stops Azurite and deletes its data folder.</summary>
    public async Task DisposeAsync()
    {
        await StopAsync(graceful: false);
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder does not fail the tests.
        }
    }

    /// <summary>
    /// Stops Azurite and starts it again on the same ports and data folder.
    /// </summary>
    /// <param name="graceful">
    /// True sends SIGTERM so Azurite saves its state; false kills it at once, as a crash would.
    /// After a kill, data Azurite had not saved yet may be lost.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting for the new process to become ready.</param>
    public async Task RestartAsync(bool graceful = true, CancellationToken cancellationToken = default)
    {
        await StopAsync(graceful);
        await StartAsync(cancellationToken);
    }

    /// <summary>Returns what Azurite printed so far, for failure messages.</summary>
    public string GetOutput()
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "FreeBind.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No folder above '{AppContext.BaseDirectory}' contains FreeBind.sln; run the tests from the repository.");
    }

    private static (int Blob, int Queue, int Table) ReserveFreePorts()
    {
        // All three listeners stay open until every port is chosen, so the ports differ.
        var listeners = Enumerable.Range(0, 3).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var listener in listeners)
            {
                listener.Start();
            }

            var ports = listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
            return (ports[0], ports[1], ports[2]);
        }
        finally
        {
            foreach (var listener in listeners)
            {
                listener.Stop();
            }
        }
    }

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var script = Path.Combine(RepositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(script))
        {
            throw new InvalidOperationException($"Azurite is not installed: '{script}' is missing; run `npm ci` in the repository root '{RepositoryRoot}'.");
        }

        var startInfo = new ProcessStartInfo("node")
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] arguments =
        [
            script,
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(),
            "--location", DataFolder,
            "--skipApiVersionCheck", "--disableTelemetry", "--silent",
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var started = new Process { StartInfo = startInfo };
        started.OutputDataReceived += (_, e) => AppendOutput(e.Data);
        started.ErrorDataReceived += (_, e) => AppendOutput(e.Data);
        if (!started.Start())
        {
            throw new InvalidOperationException("Starting `node` for Azurite failed; check that Node.js is on PATH.");
        }

        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        process = started;

        await WaitUntilReadyAsync(started, cancellationToken);
    }

    private async Task WaitUntilReadyAsync(Process started, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        Uri[] endpoints = [BlobEndpoint, QueueEndpoint, TableEndpoint];
        var deadline = Stopwatch.StartNew();
        foreach (var endpoint in endpoints)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (started.HasExited)
                {
                    throw new InvalidOperationException($"Azurite exited with code {started.ExitCode} before it was ready. Output:\n{GetOutput()}");
                }

                if (deadline.Elapsed > StartTimeout)
                {
                    throw new TimeoutException($"Azurite did not answer at {endpoint} within {StartTimeout.TotalSeconds} s. Output:\n{GetOutput()}");
                }

                try
                {
                    // Any HTTP response, even 400 or 403, means the endpoint is listening.
                    using var response = await http.GetAsync(endpoint, cancellationToken);
                    break;
                }
                catch (HttpRequestException)
                {
                    // Not listening yet: poll again after a short pause.
                }
                catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // The request timed out: poll again.
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
            }
        }
    }

    private async Task StopAsync(bool graceful)
    {
        var running = process;
        process = null;
        if (running is null)
        {
            return;
        }

        using (running)
        {
            if (running.HasExited)
            {
                return;
            }

            if (graceful && (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
            {
                _ = Kill(running.Id, SignalTerminate);
                using var timeout = new CancellationTokenSource(StopTimeout);
                try
                {
                    await running.WaitForExitAsync(timeout.Token);
                    return;
                }
                catch (OperationCanceledException)
                {
                    // Azurite ignored SIGTERM: kill it below.
                }
            }

            running.Kill(entireProcessTree: true);
            using var killTimeout = new CancellationTokenSource(StopTimeout);
            await running.WaitForExitAsync(killTimeout.Token);
        }
    }

    private void AppendOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            // Keep the last ~64 KiB for failure messages.
            if (output.Length > 1 << 16)
            {
                output.Remove(0, output.Length / 2);
            }

            output.AppendLine(line);
        }
    }

    // DllImport, not LibraryImport, because the latter needs unsafe code enabled in the project.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int processId, int signal);
}
