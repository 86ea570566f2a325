using FreeBind.Jobs;

namespace FreeBind.Training;

/// <summary>Progress of a training job: one <see cref="TrainerStatus"/> per data mode.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.TrainingJobStatus")]
public sealed record TrainingJobStatus
{
    [Id(0)] public string JobId { get; init; } = "";

    /// <summary>Running while any trainer runs; Failed when any failed; Completed when all completed.</summary>
    [Id(1)] public EmbeddingJobState State { get; init; }

    [Id(2)] public IReadOnlyList<TrainerStatus> Trainers { get; init; } = [];

    /// <summary>Where the trained projector set is written (a folder of &lt;mode&gt;.json and .safetensors).</summary>
    [Id(3)] public string? ProjectorFolder { get; init; }

    /// <summary>Why the job failed, when it failed before any trainer ran.</summary>
    [Id(4)] public string? Error { get; init; }
}
