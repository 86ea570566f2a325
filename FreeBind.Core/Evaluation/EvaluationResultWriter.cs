using System.Text.Json;

using FreeBind.Storage;

using Parquet;
using Parquet.Schema;

namespace FreeBind.Evaluation;

/// <summary>Writes evaluation results as JSON and as Parquet (one row per metric or count).</summary>
public static class EvaluationResultWriter
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Returns the folder-relative path of a run's results without extension: <c>eval/&lt;name&gt;</c>.</summary>
    public static string BasePath(string runName) => $"eval/{runName}";

    /// <summary>Writes <c>eval/&lt;runName&gt;.json</c> and <c>eval/&lt;runName&gt;.parquet</c> to <paramref name="output"/>.</summary>
    /// <returns>The two paths written, JSON first.</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(
        IBlobStore output, string runName, IReadOnlyList<EvaluationResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(results);
        var jsonPath = BasePath(runName) + ".json";
        var parquetPath = BasePath(runName) + ".parquet";
        await output.WriteAsync(
            jsonPath,
            (stream, token) => JsonSerializer.SerializeAsync(stream, results, Json, token),
            cancellationToken).ConfigureAwait(false);
        await output.WriteAsync(parquetPath, (stream, token) => WriteParquetAsync(stream, results, token), cancellationToken)
            .ConfigureAwait(false);
        return [jsonPath, parquetPath];
    }

    /// <summary>Writes the results as Parquet columns task, space, kind ("metric" or "count"), name and value.</summary>
    public static async Task WriteParquetAsync(Stream stream, IReadOnlyList<EvaluationResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = results
            .SelectMany(r => r.Metrics.Select(m => (r.Task, r.Space, Kind: "metric", m.Key, m.Value))
                .Concat(r.Counts.Select(c => (r.Task, r.Space, Kind: "count", c.Key, Value: (double)c.Value))))
            .ToList();
        var task = ParquetColumns.RequiredString("task");
        var space = ParquetColumns.RequiredString("space");
        var kind = ParquetColumns.RequiredString("kind");
        var name = ParquetColumns.RequiredString("name");
        var value = new DataField<double>("value", false);
        var schema = new ParquetSchema(task, space, kind, name, value);
        var writer = await ParquetWriter.CreateAsync(schema, stream, ParquetColumns.CreateWriterOptions(), append: false, cancellationToken)
            .ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            using var group = writer.CreateRowGroup();
            await ParquetColumns.WriteStringsAsync(group, task, rows.Select(r => r.Task).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(group, space, rows.Select(r => r.Space).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(group, kind, rows.Select(r => r.Kind).ToArray(), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(group, name, rows.Select(r => r.Key).ToArray(), cancellationToken).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            await group.WriteAsync<double>(value, rows.Select(r => r.Value).ToArray()).ConfigureAwait(false);
            group.CompleteValidate();
        }
    }
}
