namespace FreeBind.Training;

/// <summary>Persistent state of <see cref="TrainingJobGrain"/>.</summary>
[GenerateSerializer, Alias("FreeBind.TrainingJobState")]
public sealed class TrainingJobState
{
    [Id(0)] public TrainingJobRequest? Request { get; set; }

    [Id(1)] public string? Error { get; set; }
}
