using FreeBind.Jobs;

using Spectre.Console;

namespace FreeBind.Client.Commands;

/// <summary>Shows a running job's progress and prints its summary.</summary>
internal static class JobProgress
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Polls the job until it completes or fails, drawing a progress bar with items/s and ETA.</summary>
    /// <remarks>A status call that fails because a silo or gateway went away is repeated (<see cref="ClusterCallRetry"/>).</remarks>
    public static async Task<EmbeddingJobStatus> WaitAsync(
        Func<CancellationToken, Task<EmbeddingJobStatus>> callStatus, CancellationToken cancellationToken)
    {
        var retry = ClusterCallRetry.ForCommandLine();
        Func<Task<EmbeddingJobStatus>> getStatus = () => retry.RunAsync(callStatus, ClusterCallRetry.StatusCallTimeout, cancellationToken);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        if (!console.Profile.Capabilities.Interactive)
        {
            return await WaitPlainAsync(getStatus, cancellationToken);
        }

        EmbeddingJobStatus status = await getStatus();
        await console.Progress()
            .AutoClear(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("embedding", maxValue: 1);
                var started = DateTime.UtcNow;
                while (true)
                {
                    status = await getStatus();
                    var seconds = Math.Max((DateTime.UtcNow - started).TotalSeconds, 0.001);
                    task.MaxValue = Math.Max(1, status.EntriesPlanned);
                    task.Value = status.EntriesDone;
                    task.Description = $"{status.EntriesDone}/{Planned(status)} items " +
                        $"{status.EntriesDone / seconds:F1} items/s";
                    if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed or EmbeddingJobState.Cancelled)
                    {
                        task.StopTask();
                        break;
                    }

                    await Task.Delay(PollInterval, cancellationToken);
                }
            });
        return status;
    }

    /// <summary>Prints the totals of a finished job.</summary>
    /// <param name="status">The job's final status.</param>
    /// <param name="unit">What the job counts: "entries" for embedding jobs, "rows" for fuse jobs.</param>
    public static void PrintSummary(EmbeddingJobStatus status, string unit = "entries")
    {
        var elapsed = (status.CompletedAt ?? DateTimeOffset.UtcNow) - (status.StartedAt ?? DateTimeOffset.UtcNow);
        Console.WriteLine($"job {status.JobId}: {status.State}");
        Console.WriteLine($"  {unit,-12}{FormatEntries(status)}");
        Console.WriteLine($"  embeddings  {status.Embeddings}");
        Console.WriteLine($"  errors      {status.Errors}{FormatCounts(status.ErrorsByStage)}");
        foreach (var (message, count) in status.Warnings.OrderBy(w => w.Key))
        {
            Console.WriteLine($"  warning     {count} x {message}");
        }

        // Skipped shards were embedded by an earlier run, so they do not count in the rate.
        var rate = (status.EntriesDone - status.EntriesSkipped) / Math.Max(elapsed.TotalSeconds, 0.001);
        Console.WriteLine($"  time        {elapsed.TotalSeconds:F1} s, {rate:F1} {unit}/s");
        Console.WriteLine($"  fingerprint {status.Fingerprint}");
    }

    /// <summary>Formats the planned entry count, with "+" while planning goes on.</summary>
    internal static string Planned(EmbeddingJobStatus status) =>
        status.PlanningDone ? $"{status.EntriesPlanned}" : $"{status.EntriesPlanned}+";

    /// <summary>
    /// Formats the entries line of a summary: entries done, the planned total while the job has
    /// not completed ("+" while planning goes on), shards, and shards skipped as already done.
    /// </summary>
    internal static string FormatEntries(EmbeddingJobStatus status)
    {
        var planned = status.State == EmbeddingJobState.Completed
            ? ""
            : $" of {Planned(status)} planned";
        var skipped = status.ShardsSkipped == 0
            ? ""
            : $", {status.ShardsSkipped} skipped as already done ({status.EntriesSkipped} entries)";
        return $"{status.EntriesDone}{planned} in {status.ShardsDone} shard(s){skipped}";
    }

    private static string FormatCounts(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "" : " (" + string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}")) + ")";

    private static async Task<EmbeddingJobStatus> WaitPlainAsync(Func<Task<EmbeddingJobStatus>> getStatus, CancellationToken cancellationToken)
    {
        // The first line comes after one interval, once planning has counted some entries.
        var lastPrint = DateTime.UtcNow;
        while (true)
        {
            var status = await getStatus();
            if (status.State is EmbeddingJobState.Completed or EmbeddingJobState.Failed or EmbeddingJobState.Cancelled)
            {
                return status;
            }

            if (DateTime.UtcNow - lastPrint > TimeSpan.FromSeconds(5))
            {
                Console.Error.WriteLine($"progress: {status.EntriesDone}/{Planned(status)} entries, {status.ShardsDone} shard(s) done");
                lastPrint = DateTime.UtcNow;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }
}
