using System.CommandLine;

using FreeBind.Bonds.Graph;
using FreeBind.Jobs;
using FreeBind.Training.Pseudo;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind pseudo</c>: builds a bond's pseudo-pair datasets from per-space embeddings on the cluster.</summary>
internal static class PseudoCommand
{
    private static readonly Option<FileInfo> Bonds = new("--bonds")
    {
        Description = "Bond file (JSON) declaring the bond and its spaces; projector folders need not exist yet.",
        Required = true,
    };

    private static readonly Option<string> Bond = new("--bond")
    {
        Description = "Name of the bond to build datasets for.",
        Required = true,
    };

    private static readonly Option<string?> Expert = new("--expert")
    {
        Description = "Expert space of a parallel bond; not needed for a bond with one expert.",
    };

    private static readonly Option<string> Embeddings = new("--embeddings")
    {
        Description = "Output root of a freebind embed job (folder or blob URI) holding both spaces of the bond.",
        Required = true,
    };

    private static readonly Option<string[]> Modes = new("--modes")
    {
        Description = "Data modes (comma-separated): mix, A (audio), T (text), V (image), AT, AV, TV; default all.",
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> Output = new("--output", "-o")
    {
        Description = "Output root for pseudo/<bond>/<mode>/ (folder or blob URI); default the --embeddings root.",
    };

    private static readonly Option<int> K = new("--k")
    {
        Description = "Memory-bank neighbours averaged per pseudo embedding.",
        DefaultValueFactory = _ => PseudoDatasetOptions.DefaultK,
    };

    private static readonly Option<float> Tau = new("--tau")
    {
        Description = "Softmax temperature over neighbour cosine similarities.",
        DefaultValueFactory = _ => PseudoDatasetOptions.DefaultTemperature,
    };

    private static readonly Option<float> Noise = new("--noise")
    {
        Description = "Standard deviation of Gaussian noise added to source embeddings before re-normalising.",
        DefaultValueFactory = _ => PseudoDatasetOptions.DefaultNoise,
    };

    private static readonly Option<int> Seed = new("--seed")
    {
        Description = "Seed of the noise and of the mix sampling.",
        DefaultValueFactory = _ => PseudoDatasetOptions.DefaultSeed,
    };

    private static readonly Option<string> BankModality = new("--bank-modality")
    {
        Description = "Modality of the memory bank (image, text or audio); both spaces must embed it.",
        DefaultValueFactory = _ => "text",
    };

    private static readonly Option<int> RowsPerPartition = new("--rows-per-partition")
    {
        Description = "Bank rows each partition grain holds in memory.",
        DefaultValueFactory = _ => PseudoDatasetOptions.DefaultRowsPerPartition,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("pseudo", "Build pseudo-pair training datasets for one bond from per-space embeddings.")
        {
            Bonds, Bond, Expert, Embeddings, Modes, Output, K, Tau, Noise, Seed, BankModality, RowsPerPartition,
            CommonOptions.Cluster, CommonOptions.Gateway, CommonOptions.Verbosity,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var request = CreateRequest(parseResult);
            await using var connection = await ClusterConnection.OpenAsync(
                CommonOptions.UsesCluster(parseResult),
                parseResult.GetValue(CommonOptions.Gateway),
                parseResult.GetValue(CommonOptions.Verbosity),
                cancellationToken);
            var jobId = $"pseudo-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            return await RunAsync(connection.Client, request, jobId, cancellationToken);
        });
        return command;
    }

    /// <summary>Builds a request from parsed options, checking the bond and data modes before contacting the cluster.</summary>
    public static PseudoDatasetJobRequest CreateRequest(ParseResult parseResult)
    {
        var bonds = parseResult.GetValue(Bonds)!;
        if (!bonds.Exists)
        {
            throw new FileNotFoundException($"bond file '{bonds.FullName}' not found: pass an existing JSON file to --bonds.");
        }

        var bondsJson = File.ReadAllText(bonds.FullName);
        BondFile.CheckJson(bondsJson, bonds.FullName);
        var embeddings = Locations.Resolve(parseResult.GetValue(Embeddings)!);
        var modes = Locations.Split(parseResult.GetValue(Modes));
        var request = new PseudoDatasetJobRequest
        {
            BondsJson = bondsJson,
            Bond = parseResult.GetValue(Bond)!,
            Expert = parseResult.GetValue(Expert),
            Embeddings = embeddings,
            Output = Locations.Resolve(parseResult.GetValue(Output) ?? embeddings),
            Modes = modes.Count == 0 ? PseudoDataMode.All.Select(m => m.Name).ToList() : modes,
            K = parseResult.GetValue(K),
            Temperature = parseResult.GetValue(Tau),
            Noise = parseResult.GetValue(Noise),
            Seed = parseResult.GetValue(Seed),
            BankModality = parseResult.GetValue(BankModality)!,
            RowsPerPartition = parseResult.GetValue(RowsPerPartition),
        };
        PseudoDatasetRequests.Resolve(request);
        return request;
    }

    /// <summary>Runs a pseudo-dataset job to its end, printing progress and the summary; returns the exit code.</summary>
    public static async Task<int> RunAsync(IClusterClient client, PseudoDatasetJobRequest request, string jobId, CancellationToken cancellationToken)
    {
        var job = client.GetGrain<IPseudoDatasetJobGrain>(jobId);
        await job.StartAsync(request, cancellationToken);
        Console.Error.WriteLine($"pseudo job {jobId}: bond {request.Bond}, {request.Embeddings} -> {request.Output}");

        var final = await JobProgress.WaitAsync(token => job.GetStatusAsync(token), cancellationToken);
        if (final.State != EmbeddingJobState.Completed)
        {
            Console.Error.WriteLine($"error: pseudo job {jobId} failed: {final.FailureReason}");
            return 1;
        }

        Console.WriteLine($"job {jobId}: {final.EntriesDone} queries, {final.Embeddings} pairs");
        Console.WriteLine($"Pseudo datasets written under {final.Output}/pseudo/{request.Bond}/<mode>/");
        return 0;
    }
}
