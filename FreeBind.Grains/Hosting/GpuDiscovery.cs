using System.Diagnostics;
using System.Globalization;

namespace FreeBind.Hosting;

/// <summary>Finds the NVIDIA GPUs of this machine with <c>nvidia-smi</c>.</summary>
public static class GpuDiscovery
{
    private static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Returns the GPUs this silo offers: none for the <c>cpu</c> role, the ids of
    /// <paramref name="options"/>' <see cref="FreeBindSiloOptions.Gpus"/> when set (empty = none),
    /// otherwise every GPU <c>nvidia-smi</c> lists. A missing or failing <c>nvidia-smi</c> means no GPU.
    /// </summary>
    public static GpuInventory Discover(FreeBindSiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.Equals(options.Role, FreeBindSiloOptions.CpuRole, StringComparison.OrdinalIgnoreCase))
        {
            return GpuInventory.None("role 'cpu': GPUs are not offered");
        }

        var found = Query(out var failure);
        if (options.Gpus is null)
        {
            return found is null
                ? GpuInventory.None($"no GPU: {failure}")
                : found with { Source = $"nvidia-smi lists {found.Ids.Count} GPU(s)" };
        }

        var ids = ParseIds(options.Gpus);
        return new GpuInventory(
            ids,
            found?.Names.Where(p => ids.Contains(p.Key)).ToDictionary() ?? new Dictionary<int, string>(),
            found?.MemoryMiB.Where(p => ids.Contains(p.Key)).ToDictionary() ?? new Dictionary<int, long>(),
            ids.Count == 0 ? "FreeBind:Silo:Gpus is empty: no GPU offered" : $"FreeBind:Silo:Gpus sets GPU ids {options.Gpus}");
    }

    /// <summary>Parses a comma-separated list of GPU ids such as <c>0,1</c>.</summary>
    /// <exception cref="FormatException">An entry is not a non-negative integer.</exception>
    public static IReadOnlyList<int> ParseIds(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                throw new FormatException(
                    $"GPU id '{part}' in FreeBind:Silo:Gpus (--gpus) '{text}' is not a non-negative integer: use a list such as 0,1 or an empty string for none.");
            }

            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>
    /// Parses <c>nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader</c> output,
    /// for example <c>0, NVIDIA H200, 143771 MiB</c>.
    /// </summary>
    public static GpuInventory ParseQueryOutput(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>();
        var names = new Dictionary<int, string>();
        var memory = new Dictionary<int, long>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length < 3 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            ids.Add(id);
            names[id] = fields[1];
            var amount = fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            if (long.TryParse(amount, NumberStyles.None, CultureInfo.InvariantCulture, out var mib))
            {
                memory[id] = mib;
            }
        }

        return new GpuInventory(ids, names, memory, $"nvidia-smi lists {ids.Count} GPU(s)");
    }

    /// <summary>Turns an inventory into silo metadata: <c>gpu</c>, <c>gpu.count</c>, <c>gpu.ids</c>, <c>gpu.memory</c>.</summary>
    /// <remarks><c>gpu.memory</c> lists each GPU's total memory in MiB, in the order of <c>gpu.ids</c>.</remarks>
    public static Dictionary<string, string> ToMetadata(GpuInventory inventory)
    {
        ArgumentNullException.ThrowIfNull(inventory);
        var metadata = new Dictionary<string, string>
        {
            ["gpu"] = inventory.Ids.Count > 0 ? "true" : "false",
            ["gpu.count"] = inventory.Ids.Count.ToString(CultureInfo.InvariantCulture),
            ["gpu.ids"] = string.Join(",", inventory.Ids),
        };
        if (inventory.Ids.Count > 0 && inventory.Ids.All(inventory.MemoryMiB.ContainsKey))
        {
            metadata["gpu.memory"] = string.Join(",", inventory.Ids.Select(id => inventory.MemoryMiB[id].ToString(CultureInfo.InvariantCulture)));
        }

        return metadata;
    }

    private static GpuInventory? Query(out string failure)
    {
        var startInfo = new ProcessStartInfo("nvidia-smi")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add("--query-gpu=index,name,memory.total");
        startInfo.ArgumentList.Add("--format=csv,noheader");
        try
        {
            using var process = Process.Start(startInfo);
            if (process is null)
            {
                failure = "nvidia-smi did not start";
                return null;
            }

            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(QueryTimeout))
            {
                process.Kill(entireProcessTree: true);
                failure = $"nvidia-smi did not answer within {QueryTimeout.TotalSeconds} s";
                return null;
            }

            if (process.ExitCode != 0)
            {
                failure = $"nvidia-smi exited with code {process.ExitCode}: {error.Result.Trim()}";
                return null;
            }

            var inventory = ParseQueryOutput(output.Result);
            failure = inventory.Ids.Count == 0 ? "nvidia-smi lists no GPU" : "";
            return inventory.Ids.Count == 0 ? null : inventory;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            failure = $"nvidia-smi is not available ({exception.Message})";
            return null;
        }
    }
}
