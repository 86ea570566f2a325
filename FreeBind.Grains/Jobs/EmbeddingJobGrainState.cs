namespace FreeBind.Jobs;

/// <summary>Persistent state of an embedding job's coordinator.</summary>
[GenerateSerializer, Alias("FreeBind.EmbeddingJobGrainState")]
public sealed class EmbeddingJobGrainState
{
    [Id(0)] public EmbeddingJobRequest? Request { get; set; }

    [Id(1)] public EmbeddingJobStatus Status { get; set; } = new();

    /// <summary>Encoders the job runs, as "space/modality".</summary>
    [Id(2)] public List<string> Encoders { get; set; } = [];

    /// <summary>Fingerprints of the encoders, in label order, joined by commas.</summary>
    [Id(3)] public string EncoderFingerprints { get; set; } = "";

    /// <summary>True when a GPU silo was active at start, so shards follow <c>FreeBind:Placement</c>.</summary>
    [Id(4)] public bool RequiresGpu { get; set; }
}
