using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FreeBind.Diagnostics;

/// <summary>
/// FreeBind's own metrics, published on the <see cref="MeterName"/> meter. Any
/// <see cref="MeterListener"/> or OpenTelemetry meter provider that listens to that name
/// receives them. With none listening, the tagged instruments skip building their tags.
/// </summary>
public static class FreeBindMetrics
{
    /// <summary>Name of the meter that carries every FreeBind instrument.</summary>
    public const string MeterName = "FreeBind";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Counter<long> ItemsEmbedded = Meter.CreateCounter<long>(
        "freebind.items.embedded", "{item}", "Items embedded, tagged by encoder and execution provider.");

    private static readonly Histogram<double> BatchDuration = Meter.CreateHistogram<double>(
        "freebind.batch.duration", "ms", "Wall time of one inference batch, tagged by encoder.");

    private static long _queueDepth;

    private static readonly ObservableGauge<long> QueueDepth = Meter.CreateObservableGauge(
        "freebind.queue.depth",
        () => Interlocked.Read(ref _queueDepth),
        "{item}",
        "Preprocessed items waiting for inference, summed over the shards in flight in this process.");

    private static readonly Counter<long> ShardRetries = Meter.CreateCounter<long>(
        "freebind.shard.retries", "{retry}", "Shard calls retried after a failed attempt.");

    private static readonly Counter<long> ItemsFailed = Meter.CreateCounter<long>(
        "freebind.items.failed", "{item}", "Items that became error rows, tagged by stage (plan, read, decode, preprocess, encode).");

    private static readonly Histogram<double> TrainingLoss = Meter.CreateHistogram<double>(
        "freebind.training.loss", "{loss}", "Training loss of each optimiser step, tagged by projector (job/mode).");

    private static readonly Counter<long> TrainingPairs = Meter.CreateCounter<long>(
        "freebind.training.pairs", "{pair}", "Training pairs processed, tagged by projector; its rate is pairs/s.");

    private static readonly Histogram<double> TrainingStepDuration = Meter.CreateHistogram<double>(
        "freebind.training.step.duration", "ms", "Wall time of one synchronous training step over all workers, tagged by projector.");

    /// <summary>Records one training step: its loss, its global batch and its wall time.</summary>
    public static void RecordTrainingStep(string projector, double loss, int pairs, TimeSpan duration)
    {
        var tags = new TagList { { "projector", projector } };
        if (TrainingLoss.Enabled)
        {
            TrainingLoss.Record(loss, tags);
        }

        if (TrainingPairs.Enabled)
        {
            TrainingPairs.Add(pairs, tags);
        }

        if (TrainingStepDuration.Enabled)
        {
            TrainingStepDuration.Record(duration.TotalMilliseconds, tags);
        }
    }

    /// <summary>Adds <paramref name="count"/> embedded items for one encoder and execution provider.</summary>
    public static void RecordEmbedded(string encoder, string provider, int count)
    {
        if (count > 0 && ItemsEmbedded.Enabled)
        {
            ItemsEmbedded.Add(count, new TagList { { "encoder", encoder }, { "provider", provider } });
        }
    }

    /// <summary>Records the wall time of one inference batch in milliseconds.</summary>
    public static void RecordBatch(string encoder, TimeSpan duration)
    {
        if (BatchDuration.Enabled)
        {
            BatchDuration.Record(duration.TotalMilliseconds, new TagList { { "encoder", encoder } });
        }
    }

    /// <summary>
    /// Changes the inference queue depth by <paramref name="delta"/> items (negative when drained).
    /// One interlocked add, so it is cheap enough to call per item; the gauge reads the sum when collected.
    /// </summary>
    public static void ChangeQueueDepth(int delta)
    {
        Interlocked.Add(ref _queueDepth, delta);
    }

    /// <summary>Current value of the <c>freebind.queue.depth</c> gauge.</summary>
    public static long CurrentQueueDepth => Interlocked.Read(ref _queueDepth);

    /// <summary>Counts one retried shard call.</summary>
    /// <remarks>
    /// </remarks>
    public static void RecordShardRetry()
    {
        ShardRetries.Add(1);
    }

    /// <summary>Adds <paramref name="count"/> failed items for one stage.</summary>
    public static void RecordFailed(string stage, int count)
    {
        if (count > 0 && ItemsFailed.Enabled)
        {
            ItemsFailed.Add(count, new KeyValuePair<string, object?>("stage", stage));
        }
    }
}
