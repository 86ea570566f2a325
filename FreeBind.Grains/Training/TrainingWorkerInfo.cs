namespace FreeBind.Training;

/// <summary>Where a loaded training worker runs and which provider does its matrix products.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.TrainingWorkerInfo")]
public sealed record TrainingWorkerInfo
{
    /// <summary>Execution provider of the worker's matrix products, e.g. CPU.</summary>
    [Id(0)] public required string Provider { get; init; }

    /// <summary>Address of the silo that hosts the worker's activation.</summary>
    [Id(1)] public required string Silo { get; init; }
}
