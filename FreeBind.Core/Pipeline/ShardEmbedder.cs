using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

using FreeBind.Corpus;
using FreeBind.Diagnostics;
using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Storage;

using Microsoft.Extensions.Logging;

namespace FreeBind.Pipeline;

/// <summary>
/// Embeds one corpus shard with a set of encoders and writes its Parquet files, errors and warnings files and
/// completion marker straight to the output store.
/// </summary>
/// <remarks>
/// Reading and preprocessing run on several threads and feed a bounded queue, while batches from
/// that queue run through ONNX Runtime. Inference waits for files only when the queue is empty.
/// The queue contains at most two batches, which bounds memory whatever the shard size.
/// NOTE: each encoder reads its modality's files itself, so a modality that several spaces
/// cover is read once per space.
/// </remarks>
public sealed partial class ShardEmbedder(ILogger<ShardEmbedder> logger)
{
    /// <summary>
    /// Embeds <paramref name="shard"/> unless its marker shows it was already done with the same
    /// fingerprint, in which case the stored outcome is returned with <see cref="ShardOutcome.Skipped"/> set.
    /// </summary>
    public async Task<ShardOutcome> EmbedAsync(
        ICorpus corpus,
        CorpusShard shard,
        IReadOnlyList<OnnxEncoder> encoders,
        IBlobStore output,
        string fingerprint,
        ShardEmbedSettings settings,
        CancellationToken cancellationToken)
    {
        var existing = await TryReadMarkerAsync(output, shard.Index, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Fingerprint == fingerprint)
        {
            existing.Skipped = true;
            return existing;
        }

        var stopwatch = Stopwatch.StartNew();
        var outcome = new ShardOutcome { Shard = shard.Index, Fingerprint = fingerprint, Entries = shard.Entries.Count };
        var errors = new List<ErrorRow>();
        var warningRows = new List<ErrorRow>();
        foreach (var issue in shard.Issues)
        {
            errors.Add(new ErrorRow(issue.Id, issue.Source, "plan", issue.Message));
        }

        var parallelism = settings.PreprocessParallelism > 0 ? settings.PreprocessParallelism : Environment.ProcessorCount;
        foreach (var encoder in encoders)
        {
            var batchSize = settings.BatchSize > 0 ? settings.BatchSize : encoder.Spec.BatchSize;
            var rows = await EmbedWithAsync(
                    corpus, shard, encoder, fingerprint, parallelism, batchSize, settings.Scheduling, outcome, errors, warningRows, cancellationToken)
                .ConfigureAwait(false);
            await output.WriteAsync(
                OutputLayout.Embeddings(encoder.Space, encoder.Spec.Modality.ToName(), shard.Index),
                (stream, token) => EmbeddingParquetWriter.WriteAsync(
                    stream,
                    new EmbeddingFileMetadata(encoder.Space, encoder.Spec.Modality.ToName(), encoder.Fingerprint, encoder.Spec.Dimension),
                    rows,
                    token),
                cancellationToken).ConfigureAwait(false);
            outcome.Embedded[encoder.Label] = rows.Count;
            FreeBindMetrics.RecordEmbedded(encoder.Label, encoder.Provider, rows.Count);
        }

        foreach (var error in errors)
        {
            outcome.Errors[error.Stage] = outcome.Errors.GetValueOrDefault(error.Stage) + 1;
        }

        foreach (var (stage, count) in outcome.Errors)
        {
            FreeBindMetrics.RecordFailed(stage, count);
        }

        await output.WriteAsync(
            OutputLayout.Errors(shard.Index),
            (stream, token) => ErrorParquetWriter.WriteAsync(stream, errors, token),
            cancellationToken).ConfigureAwait(false);

        // The same columns as the errors file, one row per warning, so the counts in the summary
        // can be traced to the inputs.
        warningRows.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        await output.WriteAsync(
            OutputLayout.Warnings(shard.Index),
            (stream, token) => ErrorParquetWriter.WriteAsync(stream, warningRows, token),
            cancellationToken).ConfigureAwait(false);

        outcome.Seconds = stopwatch.Elapsed.TotalSeconds;
        await ShardMarkerJson.WriteAsync(output, OutputLayout.ShardMarker(shard.Index), outcome, cancellationToken)
            .ConfigureAwait(false);

        LogShardEmbedded(shard.Index, shard.Entries.Count, outcome.Embedded.Values.Sum(), errors.Count, outcome.Seconds);
        return outcome;
    }

    /// <summary>Reads a shard's completion marker, or null when there is none.</summary>
    public static Task<ShardOutcome?> TryReadMarkerAsync(IBlobStore output, int shard, CancellationToken cancellationToken) =>
        ShardMarkerJson.TryReadAsync(output, OutputLayout.ShardMarker(shard), cancellationToken);

    private async Task<List<EmbeddingRow>> EmbedWithAsync(
        ICorpus corpus,
        CorpusShard shard,
        OnnxEncoder encoder,
        string fingerprint,
        int parallelism,
        int batchSize,
        PreprocessScheduling scheduling,
        ShardOutcome outcome,
        List<ErrorRow> errors,
        List<ErrorRow> warningRows,
        CancellationToken cancellationToken)
    {
        var modality = encoder.Spec.Modality;
        var work = shard.Entries
            .Select((entry, order) => (Entry: entry, Order: order, Media: entry.Media.FirstOrDefault(m => m.Modality == modality)))
            .Where(x => x.Media is not null)
            .ToList();

        // Each stream runs one batch while the queue contains the next batch for every stream.
        var streams = Math.Max(1, encoder.Plan.Streams);
        var queue = Channel.CreateBounded<Prepared>(new BoundedChannelOptions(batchSize * (streams + 1))
        {
            SingleReader = streams == 1,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var failures = new List<ErrorRow>();
        var warnings = new Dictionary<string, int>();
        var gate = new Lock();
        var inferenceGate = new InferenceGate(scheduling == PreprocessScheduling.Alternate);
        var producerDone = new StrongBox<bool>();

        // Stops the producer when the streams fail, so that it does not wait for queue space forever.
        using var producerStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        var producer = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        work,
                        new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = producerStop.Token },
                        async (item, token) =>
                        {
                            var prepared = await PrepareAsync(corpus, encoder, item.Entry, item.Media!, inferenceGate, token)
                                .ConfigureAwait(false);
                            if (prepared.Error is not null)
                            {
                                lock (gate)
                                {
                                    failures.Add(prepared.Error);
                                }

                                return;
                            }

                            lock (gate)
                            {
                                foreach (var warning in prepared.Item!.Warnings)
                                {
                                    var kind = WarningKinds.KeyOf(warning);
                                    warnings[kind] = warnings.GetValueOrDefault(kind) + 1;
                                    warningRows.Add(new ErrorRow(item.Entry.Id, item.Media!.Source, "preprocess", $"{encoder.Label}: {warning}"));
                                }
                            }

                            // Counted before the write so the reader never takes the gauge below zero.
                            FreeBindMetrics.ChangeQueueDepth(1);
                            try
                            {
                                await queue.Writer.WriteAsync(prepared with { Order = item.Order }, token).ConfigureAwait(false);
                            }
                            catch
                            {
                                FreeBindMetrics.ChangeQueueDepth(-1);
                                throw;
                            }
                        }).ConfigureAwait(false);
                    Volatile.Write(ref producerDone.Value, true);
                    queue.Writer.Complete();
                }
                catch (Exception exception)
                {
                    queue.Writer.Complete(exception);
                }
            },
            cancellationToken);

        var runs = new StreamResults[streams];
        try
        {
            var tasks = new Task[streams];
            for (var s = 0; s < streams; s++)
            {
                var own = runs[s] = new StreamResults();
                tasks[s] = Task.Run(
                    () => RunStreamAsync(
                        encoder, fingerprint, batchSize, streams, queue.Reader, producerDone, inferenceGate, own, cancellationToken),
                    cancellationToken);
            }

            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch
        {
            await producerStop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // Items left behind by a cancelled shard must not stay in the queue depth gauge.
            while (queue.Reader.TryRead(out _))
            {
                FreeBindMetrics.ChangeQueueDepth(-1);
            }
        }

        await producer.ConfigureAwait(false);
        outcome.InferenceSeconds += runs.Sum(run => run.Inference.Elapsed.TotalSeconds);
        foreach (var (message, count) in warnings)
        {
            var key = $"{encoder.Label}: {message}";
            outcome.Warnings[key] = outcome.Warnings.GetValueOrDefault(key) + count;
        }

        errors.AddRange(failures);
        foreach (var run in runs)
        {
            errors.AddRange(run.Failures);
        }

        return runs.SelectMany(run => run.Rows).OrderBy(r => r.Order).Select(r => r.Row).ToList();
    }

    /// <summary>
    /// One inference stream: takes items from the queue until it has a full batch, runs it, and
    /// repeats. Once the producer has finished, the items left are shared out between the streams
    /// in smaller batches, so that no core waits while another runs the shard's last full batch.
    /// </summary>
    private async Task RunStreamAsync(
        OnnxEncoder encoder,
        string fingerprint,
        int batchSize,
        int streams,
        ChannelReader<Prepared> reader,
        StrongBox<bool> producerDone,
        InferenceGate inferenceGate,
        StreamResults own,
        CancellationToken cancellationToken)
    {
        var batch = new List<Prepared>(batchSize);
        while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var limit = Volatile.Read(ref producerDone.Value)
                ? Math.Clamp((reader.Count + batch.Count + streams - 1) / streams, 1, batchSize)
                : batchSize;
            while (batch.Count < limit && reader.TryRead(out var prepared))
            {
                FreeBindMetrics.ChangeQueueDepth(-1);
                batch.Add(prepared);
            }

            if (batch.Count >= limit)
            {
                RunAndRelease(encoder, fingerprint, batch, inferenceGate, own);
            }
        }

        if (batch.Count > 0)
        {
            RunAndRelease(encoder, fingerprint, batch, inferenceGate, own);
        }
    }

    // Runs the batch with the gate closed, then hands its tensors back to the pool (they were copied
    // into ONNX Runtime's input) and empties the list for the next batch.
    private void RunAndRelease(OnnxEncoder encoder, string fingerprint, List<Prepared> batch, InferenceGate inferenceGate, StreamResults own)
    {
        using (inferenceGate.Close())
        {
            RunBatch(encoder, fingerprint, batch, own.Rows, own.Failures, own.Inference);
        }

        foreach (var prepared in batch)
        {
            prepared.Item?.ReturnPooledBuffers();
        }

        batch.Clear();
    }

    private void RunBatch(
        OnnxEncoder encoder,
        string fingerprint,
        List<Prepared> batch,
        List<(int Order, EmbeddingRow Row)> results,
        List<ErrorRow> failures,
        Stopwatch inference)
    {
        float[][] vectors;
        var batchStart = Stopwatch.GetTimestamp();
        inference.Start();
        try
        {
            vectors = encoder.Encode(batch.Select(p => p.Item!).ToList());
            FreeBindMetrics.RecordBatch(encoder.Label, Stopwatch.GetElapsedTime(batchStart));
        }
        catch (Exception exception) when (batch.Count > 1 && exception is not OperationCanceledException)
        {
            // One bad item must not cost the whole batch: run the items one by one so only
            // the failing ones become error rows.
            inference.Stop();
            LogBatchFailed(encoder.Label, batch.Count, exception.Message);
            foreach (var single in batch)
            {
                RunBatch(encoder, fingerprint, [single], results, failures, inference);
            }

            return;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            inference.Stop();
            var item = batch[0];
            failures.Add(new ErrorRow(item.Id, item.Source, "encode", $"encoder '{encoder.Label}' failed: {exception.Message}"));
            return;
        }

        inference.Stop();
        for (var i = 0; i < batch.Count; i++)
        {
            var item = batch[i];
            var vector = vectors[i];
            if (!vector.All(float.IsFinite))
            {
                failures.Add(new ErrorRow(item.Id, item.Source, "encode",
                    $"encoder '{encoder.Label}' returned a non-finite embedding; check the input and the model."));
                continue;
            }

            results.Add((item.Order, new EmbeddingRow(
                item.Id, encoder.Spec.Modality.ToName(), encoder.Space, encoder.Fingerprint, vector, item.Source)));
        }
    }

    private static async Task<Prepared> PrepareAsync(
        ICorpus corpus,
        OnnxEncoder encoder,
        CorpusEntry entry,
        MediaReference media,
        InferenceGate inferenceGate,
        CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await corpus.ReadAsync(media, cancellationToken).ConfigureAwait(false);
            await inferenceGate.WaitOpenAsync(cancellationToken).ConfigureAwait(false);
            var item = encoder.Preprocessor.Preprocess(bytes);
            return new Prepared(entry.Id, media.Source, 0, item, null);
        }
        catch (MediaException exception)
        {
            return new Prepared(entry.Id, media.Source, 0, null, new ErrorRow(entry.Id, media.Source, exception.Stage, exception.Message));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Decoders are third-party code: an unexpected exception on user data is still an
            // error row for that item, never a failed shard.
            return new Prepared(entry.Id, media.Source, 0, null,
                new ErrorRow(entry.Id, media.Source, "preprocess", $"{exception.GetType().Name}: {exception.Message}"));
        }
    }

    /// <summary>What one inference stream produced. Only that stream writes to it.</summary>
    private sealed class StreamResults
    {
        public List<(int Order, EmbeddingRow Row)> Rows { get; } = [];

        public List<ErrorRow> Failures { get; } = [];

        /// <summary>Time this stream spent in <see cref="OnnxEncoder.Encode"/>.</summary>
        public Stopwatch Inference { get; } = new();
    }

    private sealed record Prepared(string Id, string Source, int Order, PreprocessedItem? Item, ErrorRow? Error);

    [LoggerMessage(EventId = 200, Level = LogLevel.Information,
        Message = "Shard {Shard} embedded: {Entries} entries, {Embeddings} embeddings, {Errors} errors in {Seconds:F1} s")]
    private partial void LogShardEmbedded(int shard, int entries, int embeddings, int errors, double seconds);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning,
        Message = "Encoder {Encoder} failed on a batch of {Count}; retrying items one by one: {Message}")]
    private partial void LogBatchFailed(string encoder, int count, string message);
}
