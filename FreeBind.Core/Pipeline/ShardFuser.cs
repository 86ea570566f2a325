using System.Diagnostics;

using FreeBind.Media;
using FreeBind.Storage;

using Microsoft.Extensions.Logging;

namespace FreeBind.Pipeline;

/// <summary>
/// Fuses one shard: reads the shard's Parquet of every space a plan needs, joins the rows by id,
/// runs the plans in batches and writes the fused Parquet, an errors file and a marker.
/// </summary>
/// <remarks>
/// Shards are matched by number, so every input space must come from the same embedding job (or
/// jobs with the same corpus and shard size). Memory contains one shard of each input space at a time.
/// </remarks>
public sealed partial class ShardFuser(ILogger<ShardFuser> logger)
{
    /// <summary>Rows per call of a plan.</summary>
    public const int BatchSize = 4096;

    /// <summary>Path of a shard's fused embeddings.</summary>
    public static string FusedPath(FusionTarget target, Modality modality, int shard) =>
        $"embeddings/{target.FolderName}/{modality.ToName()}/shard-{shard:D6}.parquet";

    /// <summary>Path of a shard's fuse errors.</summary>
    public static string ErrorsPath(FusionTarget target, int shard) => $"fuse/{target.FolderName}/errors/shard-{shard:D6}.parquet";

    /// <summary>Path of a shard's completion marker.</summary>
    public static string MarkerPath(FusionTarget target, int shard) => $"fuse/{target.FolderName}/shards/shard-{shard:D6}.json";

    /// <summary>Path of the fuse job's manifest.</summary>
    public static string ManifestPath(FusionTarget target) => $"fuse/{target.FolderName}/manifest.json";

    /// <summary>Fuses shard <paramref name="shard"/> unless its marker has the same fingerprint.</summary>
    public async Task<ShardOutcome> FuseAsync(
        IBlobStore embeddings, IBlobStore output, FusionTarget target, int shard, CancellationToken cancellationToken)
    {
        var markerPath = MarkerPath(target, shard);
        var existing = await ShardMarkerJson.TryReadAsync(output, markerPath, cancellationToken).ConfigureAwait(false);
        if (existing is not null && existing.Fingerprint == target.Fingerprint)
        {
            existing.Skipped = true;
            return existing;
        }

        var stopwatch = Stopwatch.StartNew();
        var outcome = new ShardOutcome { Shard = shard, Fingerprint = target.Fingerprint };
        var errors = new List<ErrorRow>();
        foreach (var modality in target.Modalities)
        {
            var rows = await FuseModalityAsync(embeddings, target, modality, shard, errors, outcome, cancellationToken)
                .ConfigureAwait(false);
            var name = modality.Plan.Modality.ToName();
            await output.WriteAsync(
                FusedPath(target, modality.Plan.Modality, shard),
                (stream, token) => EmbeddingParquetWriter.WriteAsync(
                    stream,
                    new EmbeddingFileMetadata(target.Space, name, target.Fingerprint, modality.Plan.OutputDimension,
                        Profile: target.Profile, Factors: modality.FactorsJson),
                    rows,
                    token),
                cancellationToken).ConfigureAwait(false);
            outcome.Embedded[$"{target.Space}/{name}"] = rows.Count;
        }

        foreach (var error in errors)
        {
            outcome.Errors[error.Stage] = outcome.Errors.GetValueOrDefault(error.Stage) + 1;
        }

        await output.WriteAsync(
            ErrorsPath(target, shard),
            (stream, token) => ErrorParquetWriter.WriteAsync(stream, errors, token),
            cancellationToken).ConfigureAwait(false);
        outcome.Seconds = stopwatch.Elapsed.TotalSeconds;
        await ShardMarkerJson.WriteAsync(output, markerPath, outcome, cancellationToken).ConfigureAwait(false);

        LogShardFused(shard, target.FolderName, outcome.Embedded.Values.Sum(), errors.Count);
        return outcome;
    }

    private async Task<List<EmbeddingRow>> FuseModalityAsync(
        IBlobStore embeddings,
        FusionTarget target,
        FusionModality modality,
        int shard,
        List<ErrorRow> errors,
        ShardOutcome outcome,
        CancellationToken cancellationToken)
    {
        var plan = modality.Plan;
        var name = plan.Modality.ToName();

        // Read every input space's rows of this shard, keyed by id (first occurrence wins).
        var inputs = new List<Dictionary<string, EmbeddingRow>>(plan.Inputs.Count);
        var order = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            var space = plan.Inputs[i];
            var path = $"embeddings/{space}/{name}/shard-{shard:D6}.parquet";
            var rows = new Dictionary<string, EmbeddingRow>(StringComparer.Ordinal);
            if (await embeddings.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
            {
                await using var stream = await embeddings.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
                await using var reader = await EmbeddingParquetReader.OpenAsync(stream, leaveOpen: true, cancellationToken)
                    .ConfigureAwait(false);
                if (reader.Metadata.Dimension != plan.InputDimensions[i])
                {
                    throw new InvalidDataException(
                        $"'{path}' has dimension {reader.Metadata.Dimension}, but the bond file declares {plan.InputDimensions[i]} " +
                        $"for space '{space}': fix the bond file's \"spaces\" or embed with the matching model.");
                }

                await foreach (var row in reader.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (rows.TryAdd(row.Id, row) && seen.Add(row.Id))
                    {
                        order.Add(row.Id);
                    }
                }
            }

            inputs.Add(rows);
        }

        // Keep ids every input has, with finite non-zero vectors; the rest become error rows.
        var ready = new List<string>(order.Count);
        foreach (var id in order)
        {
            var problem = FindProblem(plan, inputs, id);
            if (problem is null)
            {
                ready.Add(id);
                continue;
            }

            var source = inputs.Select(r => r.GetValueOrDefault(id)?.Source).FirstOrDefault(s => s is not null) ?? "";
            errors.Add(new ErrorRow(id, source, "join", problem));
        }

        var fused = new List<EmbeddingRow>(ready.Count);
        var inference = Stopwatch.StartNew();
        for (var start = 0; start < ready.Count; start += BatchSize)
        {
            var batch = ready.GetRange(start, Math.Min(BatchSize, ready.Count - start));
            var arrays = new List<float[]>(plan.Inputs.Count);
            for (var i = 0; i < plan.Inputs.Count; i++)
            {
                var dimension = plan.InputDimensions[i];
                var array = new float[batch.Count * dimension];
                for (var b = 0; b < batch.Count; b++)
                {
                    inputs[i][batch[b]].Embedding.CopyTo(array, b * dimension);
                }

                arrays.Add(array);
            }

            var output = modality.Execute(arrays, batch.Count);
            for (var b = 0; b < batch.Count; b++)
            {
                var vector = output.AsSpan(b * plan.OutputDimension, plan.OutputDimension).ToArray();
                var baseRow = inputs[0][batch[b]];
                fused.Add(new EmbeddingRow(batch[b], name, target.Space, target.Fingerprint, vector, baseRow.Source));
            }
        }

        outcome.InferenceSeconds += inference.Elapsed.TotalSeconds;
        outcome.Entries += order.Count;
        return fused;
    }

    private static string? FindProblem(Bonds.FusionPlan plan, List<Dictionary<string, EmbeddingRow>> inputs, string id)
    {
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            if (!inputs[i].TryGetValue(id, out var row))
            {
                var present = plan.Inputs.Where((_, j) => inputs[j].ContainsKey(id));
                return $"id '{id}' has no '{plan.Inputs[i]}' {plan.Modality.ToName()} embedding " +
                    $"(present in {string.Join(", ", present)}); embed it with that space to fuse it.";
            }

            var norm = 0.0;
            foreach (var value in row.Embedding)
            {
                if (!float.IsFinite(value))
                {
                    return $"'{plan.Inputs[i]}' embedding of id '{id}' has a non-finite value; re-embed the item.";
                }

                norm += (double)value * value;
            }

            if (norm == 0)
            {
                return $"'{plan.Inputs[i]}' embedding of id '{id}' is all zeros; re-embed the item.";
            }
        }

        return null;
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information,
        Message = "Shard {Shard} fused into {Target}: {Embeddings} embeddings, {Errors} errors")]
    private partial void LogShardFused(int shard, string target, int embeddings, int errors);
}
