using FreeBind.Pipeline;

namespace FreeBind.Encoders;

/// <summary>How a silo runs its encoders. Bound from the <c>FreeBind:Encoders</c> configuration section.</summary>
public sealed class EncoderOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "FreeBind:Encoders";

    /// <summary>Execution provider: Auto (default), Cuda or Cpu.</summary>
    public ExecutionProvider Provider { get; set; } = ExecutionProvider.Auto;

    /// <summary>CUDA device id. Default 0.</summary>
    public int DeviceId { get; set; }

    /// <summary>
    /// Threads one CPU inference uses inside an operator; 0 (default) divides the cores between
    /// the <see cref="InferenceStreams"/>. See <see cref="InferencePlan"/>.
    /// </summary>
    public int IntraOpThreads { get; set; }

    /// <summary>
    /// Batches of one shard in inference at the same time; 0 (default) chooses: on CPU one per
    /// core up to 4 (or cores / <see cref="IntraOpThreads"/> when that is set), on CUDA 1.
    /// </summary>
    public int InferenceStreams { get; set; }

    /// <summary>
    /// Whether ONNX Runtime's intra-op threads spin while they wait for work. Default true (ONNX
    /// Runtime's own default). False hands the waiting time to the preprocessing threads.
    /// </summary>
    public bool IntraOpSpinning { get; set; } = true;

    /// <summary>Shards a silo embeds at the same time. Default 1: one shard keeps the cores busy.</summary>
    public int MaxConcurrentShards { get; set; } = 1;

    /// <summary>Items decoded and preprocessed at the same time per shard; 0 means one per core. Default 0.</summary>
    public int PreprocessParallelism { get; set; }

    /// <summary>
    /// Whether a shard preprocesses items while a batch is in inference: Overlap (default) or
    /// Alternate (no new preprocessing while a batch runs).
    /// </summary>
    public PreprocessScheduling PreprocessScheduling { get; set; }

    /// <summary>Folder holding the <c>builtin:</c> models; default the application's <c>models</c> folder.</summary>
    public string? BuiltinModelDirectory { get; set; }
}
