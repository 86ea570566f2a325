using System.Text.Json;

using FreeBind.Corpus;
using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Pipeline;
using FreeBind.Spaces;
using FreeBind.Storage;

namespace FreeBind.Jobs;

/// <summary>
/// Silo-wide service that embeds shards for encoder grains, at most
/// <see cref="EncoderOptions.MaxConcurrentShards"/> at a time, outside the grain scheduler so
/// inference and preprocessing use the thread pool.
/// </summary>
public sealed class ShardRunner(
    EncoderCatalog catalog,
    ShardEmbedder embedder,
    JobStorage storage)
{
    private readonly SemaphoreSlim _slots = new(catalog.Options.MaxConcurrentShards);

    /// <summary>Loads (or reuses) the encoders a request needs, checking each against its model.</summary>
    public async Task<IReadOnlyList<OnnxEncoder>> LoadEncodersAsync(
        EmbeddingJobRequest request, IReadOnlyList<string> labels, CancellationToken cancellationToken)
    {
        var spaces = SpacesFile.Parse(request.SpacesJson, request.SpacesBaseDirectory);
        var encoders = new List<OnnxEncoder>(labels.Count);
        foreach (var label in labels)
        {
            var separator = label.LastIndexOf('/');
            var space = label[..separator];
            var modality = ModalityNames.Parse(label[(separator + 1)..]);
            // Loading a model blocks for seconds; keep it off the grain scheduler.
            encoders.Add(await Task.Run(() => catalog.GetAsync(spaces, space, modality, cancellationToken), cancellationToken)
                .ConfigureAwait(false));
        }

        return encoders;
    }

    /// <summary>Embeds one shard and writes its outputs.</summary>
    public async Task<ShardOutcome> RunAsync(ShardWork work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(
                async () =>
                {
                    var encoders = await LoadEncodersAsync(work.Request, work.Encoders, cancellationToken).ConfigureAwait(false);
                    var shard = JsonSerializer.Deserialize<CorpusShard>(work.ShardJson, CorpusJson.Options)
                        ?? throw new InvalidOperationException($"Shard {work.ShardIndex} of job {work.JobId} has no entries.");
                    var corpus = storage.OpenCorpus(work.Request);
                    var output = storage.OpenOutput(work.Request.Output);
                    return await embedder.EmbedAsync(
                        corpus, shard, encoders, output, work.Fingerprint,
                        new ShardEmbedSettings(
                            work.Request.BatchSize, catalog.Options.PreprocessParallelism, catalog.Options.PreprocessScheduling),
                        cancellationToken).ConfigureAwait(false);
                },
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }
}
