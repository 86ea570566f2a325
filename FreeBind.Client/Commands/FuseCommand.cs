using System.CommandLine;

using FreeBind.Bonds.Graph;
using FreeBind.Jobs;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind fuse</c>: applies a bond graph to the Parquet of an embedding job.</summary>
internal static class FuseCommand
{
    private static readonly Option<string> Embeddings = new("--embeddings")
    {
        Description = "Output root of a freebind embed job (folder or blob URI) holding every space the bond file reads.",
        Required = true,
    };

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Output root for the fused Parquet (folder or blob URI); default the --embeddings root.",
    };

    private static readonly Option<string[]> Modalities = new("--modalities")
    {
        Description = "Modalities to fuse (comma-separated); default every modality of the fused space.",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("fuse", "Fuse per-space embeddings through a bond graph and write fused Parquet.")
        {
            FuseOptions.RequiredBonds, Embeddings, FuseOptions.Profile, Output, FuseOptions.Factors, Modalities,
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var embeddings = Locations.Resolve(parseResult.GetValue(Embeddings)!);
            var request = CreateRequest(
                parseResult.GetValue(FuseOptions.RequiredBonds)!,
                embeddings,
                Locations.Resolve(parseResult.GetValue(Output) ?? embeddings),
                parseResult.GetValue(FuseOptions.Profile),
                parseResult.GetValue(FuseOptions.Factors),
                Locations.Split(parseResult.GetValue(Modalities)));

            await using var connection = await ClusterConnection.OpenAsync(
                CommonOptions.UsesCluster(parseResult),
                parseResult.GetValue(CommonOptions.Gateway),
                parseResult.GetValue(CommonOptions.Verbosity),
                cancellationToken);
            return await RunAsync(connection.Client, request, $"fuse-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}", cancellationToken);
        });
        return command;
    }

    /// <summary>Builds a fuse request from a bond file path.</summary>
    public static FuseJobRequest CreateRequest(
        FileInfo bonds, string embeddings, string output, string? profile, string[]? factors, IReadOnlyList<string> modalities)
    {
        if (!bonds.Exists)
        {
            throw new FileNotFoundException($"bond file '{bonds.FullName}' not found: pass an existing JSON file to --bonds.");
        }

        var bondsJson = File.ReadAllText(bonds.FullName);
        BondFile.CheckJson(bondsJson, bonds.FullName);
        return new FuseJobRequest
        {
            BondsJson = bondsJson,
            BondsBaseDirectory = bonds.DirectoryName!,
            Embeddings = embeddings,
            Output = output,
            Profile = profile == FusionCompiler.DefaultProfile ? null : profile,
            Overrides = FuseOptions.ParseFactors(factors),
            Modalities = modalities,
        };
    }

    /// <summary>Runs a fuse job to its end, printing progress and the summary; returns the exit code.</summary>
    public static async Task<int> RunAsync(IClusterClient client, FuseJobRequest request, string jobId, CancellationToken cancellationToken)
    {
        var job = client.GetGrain<IFuseJobGrain>(jobId);
        await job.StartAsync(request, cancellationToken);
        Console.Error.WriteLine($"fuse job {jobId}: {request.Embeddings} -> {request.Output} (profile {request.Profile ?? "default"})");

        var final = await JobProgress.WaitAsync(token => job.GetStatusAsync(token), cancellationToken);
        // A fuse job counts the embedding rows it fused, one per entry and modality.
        JobProgress.PrintSummary(final, unit: "rows");
        if (final.State != EmbeddingJobState.Completed)
        {
            Console.Error.WriteLine($"error: fuse job {jobId} failed: {final.FailureReason}");
            return 1;
        }

        Console.WriteLine($"Fused Parquet written under {final.Output}/embeddings/<space>.<profile>/<modality>/");
        return 0;
    }
}
