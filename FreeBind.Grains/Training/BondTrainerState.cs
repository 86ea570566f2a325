namespace FreeBind.Training;

/// <summary>Persistent state of <see cref="BondTrainerGrain"/>, written at every checkpoint.</summary>
[GenerateSerializer, Alias("FreeBind.BondTrainerState")]
public sealed class BondTrainerState
{
    [Id(0)] public TrainingJobRequest? Request { get; set; }

    [Id(1)] public string Mode { get; set; } = "";

    /// <summary>Status as of the last checkpoint.</summary>
    [Id(2)] public TrainerStatus? Status { get; set; }

    /// <summary>Optimiser step of the checkpoint in storage; 0 when there is none.</summary>
    [Id(3)] public long CheckpointStep { get; set; }

    /// <summary>Worker generation; each replacement of the workers uses new grain keys.</summary>
    [Id(4)] public int Generation { get; set; }

    /// <summary>Best validation recall so far, −1 before the first validation.</summary>
    [Id(5)] public double BestRecall { get; set; } = -1;

    /// <summary>Validation loss at <see cref="BestRecall"/>, which breaks ties.</summary>
    [Id(6)] public double BestLoss { get; set; } = double.PositiveInfinity;

    /// <summary>Validations since the best one.</summary>
    [Id(7)] public int EpochsWithoutImprovement { get; set; }
}
