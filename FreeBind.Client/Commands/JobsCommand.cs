using System.CommandLine;

using FreeBind.Jobs;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind jobs</c>, <c>freebind status</c> and <c>freebind cancel</c>: list jobs, show one, stop one.</summary>
internal static class JobsCommand
{
    private static readonly Argument<string> JobId = new("job") { Description = "Job id, as printed by freebind embed." };

    /// <summary>Builds <c>freebind jobs</c>.</summary>
    public static Command CreateList()
    {
        var command = new Command("jobs", "List the jobs a running cluster knows (needs --cluster).")
        {
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!RequireCluster(parseResult))
            {
                return 2;
            }

            await using var connection = await Connect(parseResult, cancellationToken);
            var registry = connection.Client.GetGrain<IJobRegistryGrain>(0);
            var ids = await registry.ListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                Console.WriteLine("no jobs yet: start one with freebind embed --cluster.");
                return 0;
            }

            Console.WriteLine(ListHeader);
            foreach (var id in ids)
            {
                var kind = await registry.GetKindAsync(id, cancellationToken);
                if (kind == JobKinds.Train)
                {
                    var training = await connection.Client.GetGrain<FreeBind.Training.ITrainingJobGrain>(id).GetStatusAsync(cancellationToken);
                    var steps = $"{training.Trainers.Sum(t => t.Step)}/{training.Trainers.Sum(t => t.TotalSteps)} steps";
                    Console.WriteLine($"{id}\t{kind}\t{training.State}\t{steps}\t{training.ProjectorFolder}");
                    continue;
                }

                Console.WriteLine(FormatRow(id, kind, await GetStatusAsync(connection.Client, id, kind, cancellationToken)));
            }

            return 0;
        });
        return command;
    }

    /// <summary>Column names of <c>freebind jobs</c>, tab-separated as its rows are.</summary>
    internal const string ListHeader = "job\tkind\tstate\tprogress\toutput\tnote";

    /// <summary>
    /// Formats one row of <c>freebind jobs</c>: id, kind, state, entries done of planned, output,
    /// and a note: what the job waits for, or why it failed or was cancelled.
    /// </summary>
    internal static string FormatRow(string id, string? kind, EmbeddingJobStatus status)
    {
        var progress = $"{status.EntriesDone}/{JobProgress.Planned(status)} entries";
        var note = status.Waiting ?? (status.State is EmbeddingJobState.Failed or EmbeddingJobState.Cancelled ? status.FailureReason : null);
        return $"{id}\t{kind}\t{status.State}\t{progress}\t{status.Output}\t{note}".TrimEnd('\t');
    }

    /// <summary>Builds <c>freebind status</c>.</summary>
    public static Command CreateStatus()
    {
        var command = new Command("status", "Show a job's progress and totals (needs --cluster).")
        {
            JobId, CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!RequireCluster(parseResult))
            {
                return 2;
            }

            await using var connection = await Connect(parseResult, cancellationToken);
            var id = parseResult.GetValue(JobId)!;
            var (found, kind) = await FindJobAsync(connection.Client, id, parseResult.GetValue(CommonOptions.Gateway), cancellationToken);
            if (!found)
            {
                return 1;
            }

            if (kind == JobKinds.Train)
            {
                TrainCommand.PrintSummary(await connection.Client.GetGrain<FreeBind.Training.ITrainingJobGrain>(id).GetStatusAsync(cancellationToken));
                return 0;
            }

            var status = await GetStatusAsync(connection.Client, id, kind, cancellationToken);
            JobProgress.PrintSummary(status);
            if (status.Waiting is not null)
            {
                // Set while no silo can take the job's shards, such as "waiting for a GPU silo since ...".
                Console.WriteLine($"  note        {status.Waiting}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Builds <c>freebind cancel</c>.</summary>
    public static Command CreateCancel()
    {
        var command = new Command("cancel", "Stop a running embedding job and keep its completed shards (needs --cluster).")
        {
            JobId, CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!RequireCluster(parseResult))
            {
                return 2;
            }

            await using var connection = await Connect(parseResult, cancellationToken);
            var id = parseResult.GetValue(JobId)!;
            var (found, kind) = await FindJobAsync(connection.Client, id, parseResult.GetValue(CommonOptions.Gateway), cancellationToken);
            if (!found)
            {
                return 1;
            }

            if (kind != JobKinds.Embed)
            {
                Console.Error.WriteLine($"error: job '{id}' is a {kind} job; only embedding jobs can be cancelled.");
                return 1;
            }

            var status = await connection.Client.GetGrain<IEmbeddingJobGrain>(id).CancelAsync(cancellationToken);
            JobProgress.PrintSummary(status);
            if (status.State != EmbeddingJobState.Cancelled)
            {
                Console.Error.WriteLine($"error: job '{id}' is {status.State}, not running; nothing was cancelled.");
                return 1;
            }

            Console.WriteLine($"  note        {status.FailureReason}");
            return 0;
        });
        return command;
    }

    /// <summary>Looks a job up in the cluster's registry, and prints an error when it is not there.</summary>
    private static async Task<(bool Found, string? Kind)> FindJobAsync(
        IClusterClient client, string id, int gateway, CancellationToken cancellationToken)
    {
        var registry = client.GetGrain<IJobRegistryGrain>(0);
        var ids = await registry.ListAsync(cancellationToken);
        if (!ids.Contains(id))
        {
            Console.Error.WriteLine($"error: job '{id}' not found; `{ListCommand(gateway)}` lists the known jobs.");
            return (false, null);
        }

        return (true, await registry.GetKindAsync(id, cancellationToken));
    }

    /// <summary>Reads the status of an embedding, fuse or pseudo-dataset job from its coordinator grain.</summary>
    private static Task<EmbeddingJobStatus> GetStatusAsync(IClusterClient client, string id, string? kind, CancellationToken cancellationToken) =>
        kind switch
        {
            JobKinds.Fuse => client.GetGrain<IFuseJobGrain>(id).GetStatusAsync(cancellationToken),
            JobKinds.Pseudo => client.GetGrain<FreeBind.Training.Pseudo.IPseudoDatasetJobGrain>(id).GetStatusAsync(cancellationToken),
            _ => client.GetGrain<IEmbeddingJobGrain>(id).GetStatusAsync(cancellationToken),
        };

    private static bool RequireCluster(ParseResult parseResult)
    {
        if (CommonOptions.UsesCluster(parseResult))
        {
            return true;
        }

        Console.Error.WriteLine(
            "error: jobs live in a running cluster; add --cluster (a job run without it ends with its process, " +
            "and its totals are in <output>/manifest.json).");
        return false;
    }

    /// <summary>Returns the jobs command that reaches the cluster at this gateway port.</summary>
    internal static string ListCommand(int gateway) =>
        gateway == CommonOptions.DefaultGatewayPort ? "freebind jobs --cluster" : $"freebind jobs --gateway {gateway}";

    private static Task<ClusterConnection> Connect(ParseResult parseResult, CancellationToken cancellationToken) =>
        ClusterConnection.OpenAsync(
            cluster: true,
            parseResult.GetValue(CommonOptions.Gateway),
            parseResult.GetValue(CommonOptions.Verbosity),
            cancellationToken);
}
