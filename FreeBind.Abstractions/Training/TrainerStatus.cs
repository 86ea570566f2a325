using FreeBind.Jobs;

namespace FreeBind.Training;

/// <summary>Progress of the trainer of one projector (one data mode).</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.TrainerStatus")]
public sealed record TrainerStatus
{
    /// <summary>Data mode the projector is trained on.</summary>
    [Id(0)] public required string Mode { get; init; }

    [Id(1)] public EmbeddingJobState State { get; init; }

    /// <summary>Optimiser steps done.</summary>
    [Id(2)] public long Step { get; init; }

    /// <summary>Steps the run takes without early stopping.</summary>
    [Id(3)] public long TotalSteps { get; init; }

    /// <summary>Zero-based epoch of the last step.</summary>
    [Id(4)] public int Epoch { get; init; }

    /// <summary>Training loss of the last step.</summary>
    [Id(5)] public double Loss { get; init; }

    /// <summary>Validation InfoNCE loss after the last finished epoch, or NaN before the first.</summary>
    [Id(6)] public double ValidationLoss { get; init; } = double.NaN;

    /// <summary>Validation recall at 1 (source → target) after the last finished epoch, or NaN.</summary>
    [Id(7)] public double ValidationRecall { get; init; } = double.NaN;

    /// <summary>Step of the best validation recall, whose weights are the trained projector.</summary>
    [Id(8)] public long BestStep { get; init; }

    /// <summary>Training pairs per second over the last steps.</summary>
    [Id(9)] public double PairsPerSecond { get; init; }

    /// <summary>Times the workers were replaced (a failed or slow step).</summary>
    [Id(10)] public int WorkerRestarts { get; init; }

    /// <summary>Why training failed, when it did.</summary>
    [Id(11)] public string? Error { get; init; }

    /// <summary>Execution provider of the workers' matrix products, e.g. CPU.</summary>
    [Id(12)] public string? Provider { get; init; }

    /// <summary>True when early stopping ended the run before its last epoch.</summary>
    [Id(13)] public bool StoppedEarly { get; init; }

    /// <summary>Rows of the training and the validation split.</summary>
    [Id(14)] public long TrainingRows { get; init; }

    [Id(15)] public long ValidationRows { get; init; }

    /// <summary>Address of the silo that runs the trainer.</summary>
    [Id(16)] public string? Silo { get; init; }

    /// <summary>Address of the silo of each worker of the current generation, by worker index.</summary>
    [Id(17)] public IReadOnlyList<string> WorkerSilos { get; init; } = [];
}
