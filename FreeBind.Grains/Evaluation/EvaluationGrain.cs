using FreeBind.Media;
using FreeBind.Storage;

using Microsoft.Extensions.Logging;

namespace FreeBind.Evaluation;

/// <summary>
/// Runs an evaluation task on the cluster: splits each gallery's shard files into partitions, runs
/// the two passes on one worker grain per partition and merges the counts exactly.
/// </summary>
/// <remarks>
/// Classification reads the items here for the item → class direction (a gallery of a few class
/// prototypes) and shards the class → item direction, whose gallery is the items.
/// </remarks>
public sealed partial class EvaluationGrain(ILogger<EvaluationGrain> logger) : Grain, IEvaluationGrain
{
    /// <inheritdoc />
    public async Task<EvaluationSummary> EvaluateAsync(EvaluationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Partitions, 1);
        var task = EvaluationTask.Parse(request.Task);
        var store = BlobStoreFactory.Open(request.Embeddings);
        LogStarted(task.Name, request.Space, request.Partitions);

        EvaluationResult result;
        if (task.Kind == EvaluationTaskKind.Retrieval)
        {
            var forward = await RetrieveAsync(request, store, task.First, task.Second, cancellationToken);
            var backward = await RetrieveAsync(request, store, task.Second, task.First, cancellationToken);
            result = EvaluationResult.FromRetrieval(task.Name, request.Space, forward, backward);
        }
        else
        {
            result = await ClassifyAsync(request, store, task, cancellationToken);
        }

        LogFinished(task.Name, request.Space, string.Join(", ", result.Metrics.Select(m => $"{m.Key}={m.Value:0.0000}")));
        return EvaluationWire.ToWire(result);
    }

    private async Task<RetrievalMetrics> RetrieveAsync(
        EvaluationRequest request, IBlobStore store, Modality query, Modality gallery, CancellationToken cancellationToken)
    {
        var template = new PartitionScanRequest
        {
            Embeddings = request.Embeddings,
            Space = request.Space,
            QueryModality = query.ToName(),
            GalleryShards = [],
            LabelsText = request.LabelsText,
            LabelsFormat = request.LabelsFormat,
        };
        return await ShardedAsync($"{query.ToName()}->{gallery.ToName()}", store, request, gallery, template, cancellationToken);
    }

    private async Task<EvaluationResult> ClassifyAsync(
        EvaluationRequest request, IBlobStore store, EvaluationTask task, CancellationToken cancellationToken)
    {
        var labels = EvaluationLabels.Parse(request.LabelsText, request.LabelsFormat, "labels");
        var items = await ReadAsync(store, request.Space, task.First, cancellationToken);
        var prompts = await ReadAsync(store, request.Space, task.Second, cancellationToken);

        // Items against the few prototypes runs here; the class → item mAP is the sharded part.
        var local = ClassificationEvaluator.Evaluate(items, prompts, labels, 1, cancellationToken);
        var prototypes = ClassificationEvaluator.Prototypes(prompts, labels);
        var classes = prototypes.Ids.ToHashSet(StringComparer.Ordinal);
        var relevant = prototypes.Ids
            .Select(c => (IReadOnlyList<string>)items.Ids
                .Where(id => labels.ItemLabels.TryGetValue(id, out var l) && l.Contains(c) && classes.Contains(c))
                .ToList())
            .ToList();
        var template = new PartitionScanRequest
        {
            Embeddings = request.Embeddings,
            Space = request.Space,
            QueryModality = task.Second.ToName(),
            QueryIds = prototypes.Ids,
            QueryValues = prototypes.Values,
            GalleryShards = [],
            Relevant = relevant,
            K = 1,
        };
        var map = await ShardedAsync("class->item", store, request, task.First, template, cancellationToken);
        return EvaluationResult.FromClassification(
            task.Name, request.Space, local with { MeanAveragePrecision = map.MeanAveragePrecision });
    }

    private async Task<RetrievalMetrics> ShardedAsync(
        string direction,
        IBlobStore store,
        EvaluationRequest request,
        Modality gallery,
        PartitionScanRequest template,
        CancellationToken cancellationToken)
    {
        var shards = await EmbeddingMatrixReader.ListShardsAsync(store, request.Space, gallery, cancellationToken);
        if (shards.Count == 0)
        {
            throw new InvalidDataException(
                $"no {gallery.ToName()} embeddings of space '{request.Space}' under {store.DisplayRoot}: embed that modality first.");
        }

        // NOTE: partitions are whole shard files, so there are at most as many partitions as shards.
        var partitions = Math.Min(request.Partitions, shards.Count);
        var requests = Enumerable.Range(0, partitions)
            .Select(p => template with { GalleryShards = shards.Where((_, i) => i % partitions == p).ToList() })
            .ToList();
        var run = $"{this.GetPrimaryKeyString()}/{Guid.NewGuid():N}/{direction}";
        var workers = requests.Select((_, p) => GrainFactory.GetGrain<IEvaluationWorkerGrain>($"{run}/{p}")).ToList();

        var held = await Task.WhenAll(workers.Select((w, p) => w.ScoreRelevantAsync(requests[p], cancellationToken)));
        var merged = RetrievalMerger.MergeRelevant(held.Select(h => h.Relevant.Select(EvaluationWire.FromWire).ToList()).ToList());
        var mergedWire = merged.Select(EvaluationWire.ToWire).ToList();
        var scans = await Task.WhenAll(workers.Select((w, p) => w.ScanAsync(requests[p], mergedWire, cancellationToken)));

        var gallerySize = held.Sum(h => h.GallerySize);
        var result = RetrievalMerger.Merge(
            direction, scans.Select(s => (IReadOnlyList<QueryScan>)s.Select(EvaluationWire.FromWire).ToList()).ToList(), template.K, gallerySize);
        return result.Metrics;
    }

    private static async Task<EmbeddingMatrix> ReadAsync(IBlobStore store, string space, Modality modality, CancellationToken cancellationToken) =>
        await EmbeddingMatrixReader.ReadAsync(store, space, modality, cancellationToken)
        ?? throw new InvalidDataException(
            $"no {modality.ToName()} embeddings of space '{space}' under {store.DisplayRoot}: embed that modality first.");

    [LoggerMessage(EventId = 900, Level = LogLevel.Information,
        Message = "Evaluation of {Task} on space {Space} started with {Partitions} gallery partitions")]
    private partial void LogStarted(string task, string space, int partitions);

    [LoggerMessage(EventId = 901, Level = LogLevel.Information, Message = "Evaluation of {Task} on space {Space} finished: {Metrics}")]
    private partial void LogFinished(string task, string space, string metrics);
}
