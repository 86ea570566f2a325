namespace FreeBind.Training;

/// <summary>What a training worker needs to find its data and its slice of every global batch.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.TrainingWorkerSetup")]
public sealed record TrainingWorkerSetup
{
    /// <summary>Root holding the pseudo datasets (folder or blob URI).</summary>
    [Id(0)] public required string Data { get; init; }

    /// <summary>Dataset folder under the root, e.g. <c>pseudo/c-clap/mix/</c>.</summary>
    [Id(1)] public required string Folder { get; init; }

    [Id(2)] public required int WorkerIndex { get; init; }

    [Id(3)] public required int WorkerCount { get; init; }

    /// <summary>Requested global batch size.</summary>
    [Id(4)] public required int BatchSize { get; init; }

    [Id(5)] public required int Seed { get; init; }

    [Id(6)] public required double ValidationFraction { get; init; }
}
