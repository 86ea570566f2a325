namespace FreeBind.Jobs;

/// <summary>Progress and totals of an embedding job.</summary>
[GenerateSerializer, Alias("FreeBind.EmbeddingJobStatus")]
public sealed record EmbeddingJobStatus
{
    [Id(0)] public string JobId { get; init; } = "";

    [Id(1)] public EmbeddingJobState State { get; init; }

    /// <summary>Job fingerprint: corpus listing, spaces file and model hashes.</summary>
    [Id(2)] public string Fingerprint { get; init; } = "";

    /// <summary>Shards planned so far; final once <see cref="PlanningDone"/> is true.</summary>
    [Id(3)] public int ShardsPlanned { get; init; }

    [Id(4)] public bool PlanningDone { get; init; }

    [Id(5)] public int ShardsDone { get; init; }

    /// <summary>Shards whose outputs already existed with the same fingerprint.</summary>
    [Id(6)] public int ShardsSkipped { get; init; }

    /// <summary>Shard attempts that failed and were retried.</summary>
    [Id(7)] public int ShardRetries { get; init; }

    [Id(8)] public long EntriesPlanned { get; init; }

    [Id(9)] public long EntriesDone { get; init; }

    [Id(10)] public long Embeddings { get; init; }

    [Id(11)] public long Errors { get; init; }

    /// <summary>Errors by stage (plan, read, decode, preprocess, encode).</summary>
    [Id(12)] public IReadOnlyDictionary<string, long> ErrorsByStage { get; init; } = new Dictionary<string, long>();

    /// <summary>Counted warnings by message.</summary>
    [Id(13)] public IReadOnlyDictionary<string, long> Warnings { get; init; } = new Dictionary<string, long>();

    /// <summary>Why the job failed, in one line.</summary>
    [Id(14)] public string? FailureReason { get; init; }

    [Id(15)] public DateTimeOffset? StartedAt { get; init; }

    [Id(16)] public DateTimeOffset? CompletedAt { get; init; }

    [Id(17)] public string Input { get; init; } = "";

    [Id(18)] public string Output { get; init; } = "";

    /// <summary>Execution provider of each encoder, by "space/modality".</summary>
    [Id(19)] public IReadOnlyDictionary<string, string> Providers { get; init; } = new Dictionary<string, string>();

    /// <summary>Seconds spent inside ONNX Runtime across all shards.</summary>
    [Id(20)] public double InferenceSeconds { get; init; }

    /// <summary>What the job waits for, such as "waiting for a GPU silo since …"; null while it is not waiting.</summary>
    [Id(21)] public string? Waiting { get; init; }

    /// <summary>Entries of the skipped shards, which count in <see cref="EntriesDone"/> but were not embedded again.</summary>
    [Id(22)] public long EntriesSkipped { get; init; }
}
