namespace FreeBind.Encoders;

/// <summary>
/// How one encoder uses the silo's cores: how many batches run at once (streams) and how many
/// threads each run gets inside an operator.
/// </summary>
/// <remarks>
/// On CPU, several single-threaded runs keep the cores busier than one run split over every core.
/// A split run waits at the end of each operator for its slowest thread, so a decoder that takes a
/// core for a moment stalls the whole operator. With ResNet18 on the 2-core benchmark machine, two
/// streams of one thread embedded 104 to 107 items/s against 86 to 88 for one stream of two
/// threads (docs/benchmarks.md). Each stream keeps its own activations, so the automatic plan stops at
/// <see cref="MaxAutomaticStreams"/> and gives larger machines more threads per stream. On CUDA
/// the plan is one stream unless the options set more.
/// </remarks>
/// <param name="Streams">Batches of one shard in inference at the same time.</param>
/// <param name="IntraOpThreads">Threads one run uses inside an operator; 0 lets ONNX Runtime choose.</param>
public sealed record InferencePlan(int Streams, int IntraOpThreads)
{
    /// <summary>Maximum number of streams the automatic CPU plan chooses.</summary>
    public const int MaxAutomaticStreams = 4;

    /// <summary>
    /// Chooses the plan for an encoder on <paramref name="cores"/> cores from the
    /// <see cref="EncoderOptions.InferenceStreams"/> and <see cref="EncoderOptions.IntraOpThreads"/>
    /// settings, where 0 means automatic.
    /// </summary>
    public static InferencePlan Choose(EncoderOptions options, bool cpu, int cores)
    {
        ArgumentNullException.ThrowIfNull(options);
        cores = Math.Max(1, cores);
        var streams = options.InferenceStreams;
        var threads = options.IntraOpThreads;
        if (!cpu)
        {
            return new InferencePlan(Math.Max(1, streams), threads);
        }

        if (streams == 0)
        {
            streams = threads > 0 ? Math.Max(1, cores / threads) : Math.Min(cores, MaxAutomaticStreams);
        }

        if (threads == 0)
        {
            threads = Math.Max(1, cores / streams);
        }

        return new InferencePlan(streams, threads);
    }
}
