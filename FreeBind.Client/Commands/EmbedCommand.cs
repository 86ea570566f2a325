using System.CommandLine;

using FreeBind.Jobs;
using FreeBind.Storage;
using FreeBind.Spaces;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind embed</c>: runs an embedding job and waits for it.</summary>
internal static partial class EmbedCommand
{
    private static readonly Option<FileInfo> Spaces = new("--spaces")
    {
        Description = "Spaces file (JSON) declaring the spaces and their encoders.",
        Required = true,
    };

    private static readonly Option<string> Input = new("--input", "-i")
    {
        Description = "Corpus: a folder, a JSONL, CSV, TSV or Parquet manifest, a tar pattern (shards-{000..009}.tar) or a blob URI.",
        Required = true,
    };

    private static readonly Option<string?> ManifestRoot = new("--manifest-root")
    {
        Description = "Folder or blob URI that a manifest's media paths resolve against and must stay inside. Default the manifest's folder.",
    };

    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Output root: a folder or a blob URI (https://..., az://container/prefix).",
        Required = true,
    };

    private static readonly Option<string[]> Modalities = new("--modalities")
    {
        Description = "Modalities to embed: image, text, audio (comma-separated). Default all.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string[]> SpaceFilter = new("--space")
    {
        Description = "Only embed into these spaces (comma-separated). Default every space in the file.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<int> ShardSize = new("--shard-size")
    {
        Description = "Corpus entries per shard (one set of Parquet files each).",
        DefaultValueFactory = _ => 1000,
    };

    private static readonly Option<int> BatchSize = new("--batch-size")
    {
        Description = "Items per inference batch; 0 keeps each encoder's batchSize.",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<string?> Fuse = new("--fuse")
    {
        Description = "After embedding, fuse the output with this profile of the --bonds file (\"default\" for each bond's own factors).",
    };

    private static readonly Option<string?> JobId = new("--job")
    {
        Description = "Job id; default a new id from the time.",
    };

    // 128 + SIGINT, the code shells give a command stopped by Ctrl+C.
    private const int CancelledExitCode = 130;

    // Job ids become grain keys, with suffixes such as "-fuse", and appear in logs and status lines.
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    private static partial System.Text.RegularExpressions.Regex JobIdPattern();

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("embed", "Embed a corpus with the spaces of a spaces file and write Parquet files.")
        {
            Spaces, Input, ManifestRoot, Output, Modalities, SpaceFilter, ShardSize, BatchSize, JobId, Fuse, FuseOptions.Bonds, FuseOptions.Factors,
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction((parseResult, cancellationToken) => RunAsync(parseResult, cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parseResult, CancellationToken cancellationToken)
    {
        var fuseProfile = parseResult.GetValue(Fuse);
        var bonds = parseResult.GetValue(FuseOptions.Bonds);
        if (fuseProfile is not null && bonds is null)
        {
            throw new FormatException("--fuse needs --bonds: pass the bond file whose profile to apply.");
        }

        var spacesPath = parseResult.GetValue(Spaces)!;
        var spaces = SpacesFile.Load(spacesPath.FullName);
        var output = parseResult.GetValue(Output)!;
        var request = new EmbeddingJobRequest
        {
            SpacesJson = spaces.Json,
            SpacesBaseDirectory = spaces.BaseDirectory,
            Input = Locations.Resolve(parseResult.GetValue(Input)!),
            ManifestRoot = parseResult.GetValue(ManifestRoot) is { } manifestRoot ? Locations.Resolve(manifestRoot) : null,
            Output = Locations.Resolve(output),
            Spaces = Locations.Split(parseResult.GetValue(SpaceFilter)),
            Modalities = Locations.Split(parseResult.GetValue(Modalities)),
            ShardSize = parseResult.GetValue(ShardSize),
            BatchSize = parseResult.GetValue(BatchSize),
        };
        var jobId = parseResult.GetValue(JobId) ?? $"embed-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
        if (!JobIdPattern().IsMatch(jobId))
        {
            throw new FormatException(
                $"--job '{jobId}' is invalid: use 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.");
        }

        await using var connection = await ClusterConnection.OpenAsync(
            CommonOptions.UsesCluster(parseResult),
            parseResult.GetValue(CommonOptions.Gateway),
            parseResult.GetValue(CommonOptions.Verbosity),
            cancellationToken);
        var job = connection.Client.GetGrain<IEmbeddingJobGrain>(jobId);
        // StartAsync returns the status of a job that is already running, so repeating it after a lost
        // gateway starts nothing twice.
        var retry = ClusterCallRetry.ForCommandLine();
        var started = await retry.RunAsync(_ => job.StartAsync(request, cancellationToken), null, cancellationToken);
        Console.Error.WriteLine($"job {jobId}: {BlobStoreFactory.Redact(request.Input)} -> {BlobStoreFactory.Redact(request.Output)}");
        foreach (var (encoder, provider) in started.Providers.OrderBy(p => p.Key))
        {
            Console.Error.WriteLine($"  encoder {encoder} on {provider}");
        }

        EmbeddingJobStatus final;
        try
        {
            final = await JobProgress.WaitAsync(token => job.GetStatusAsync(token), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM: stop the job, on the in-process silo or the cluster, and keep
            // what is done. Running the same command again resumes it.
            Console.Error.WriteLine($"stopping job {jobId}: shards in flight are dropped, completed ones kept");
            final = await retry.RunAsync(_ => job.CancelAsync(CancellationToken.None), null, CancellationToken.None);
        }

        JobProgress.PrintSummary(final);
        if (final.State == EmbeddingJobState.Cancelled)
        {
            Console.Error.WriteLine($"error: job {jobId} {final.FailureReason}.");
            return CancelledExitCode;
        }

        if (final.State != EmbeddingJobState.Completed)
        {
            Console.Error.WriteLine($"error: job {jobId} failed: {final.FailureReason}");
            return 1;
        }

        if (fuseProfile is not null)
        {
            // Fusing right after embedding, on the same cluster connection and output root.
            var fuse = FuseCommand.CreateRequest(
                bonds!, request.Output, request.Output, fuseProfile, parseResult.GetValue(FuseOptions.Factors), []);
            var code = await FuseCommand.RunAsync(connection.Client, fuse, $"{jobId}-fuse", cancellationToken);
            if (code != 0)
            {
                return code;
            }
        }

        Console.WriteLine($"Parquet written under {final.Output}/embeddings/<space>/<modality>/");
        if (final.Errors > 0 || final.Warnings.Count > 0)
        {
            Console.WriteLine($"Inputs with errors or warnings, by id: {final.Output}/errors/ and {final.Output}/warnings/");
        }

        Console.WriteLine($"Read it with DuckDB: SELECT id, modality, space, len(embedding) FROM read_parquet('{final.Output}/embeddings/*/*/*.parquet');");
        return 0;
    }
}
