using System.Globalization;

using Parquet;
using Parquet.Schema;

namespace FreeBind.Reporting;

/// <summary>Reads a training loss curve: (step, loss) rows from CSV (header <c>step,loss</c>) or Parquet (columns step and loss).</summary>
public static class LossCurveReader
{
    /// <summary>Reads the file at <paramref name="path"/>; the format follows the extension (.parquet or CSV).</summary>
    /// <exception cref="FormatException">A column is missing or a value is not a number; the message names the file and line.</exception>
    public static async Task<IReadOnlyList<(double Step, double Loss)>> ReadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"loss curve '{path}' not found: pass a CSV or Parquet file with columns step and loss.", path);
        }

        if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            await using var stream = File.OpenRead(path);
            return await ReadParquetAsync(stream, path, cancellationToken).ConfigureAwait(false);
        }

        return ParseCsv(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false), path);
    }

    /// <summary>Parses CSV text whose header names <c>step</c> and <c>loss</c>.</summary>
    public static IReadOnlyList<(double Step, double Loss)> ParseCsv(string text, string displayName)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        var header = lines[0].Split(',').Select(h => h.Trim().ToLowerInvariant()).ToList();
        var step = header.IndexOf("step");
        var loss = header.IndexOf("loss");
        if (step < 0 || loss < 0)
        {
            throw new FormatException($"loss curve '{displayName}': the header must name step and loss (found: {lines[0]}).");
        }

        var points = new List<(double, double)>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var fields = lines[i].Split(',');
            if (fields.Length <= Math.Max(step, loss)
                || !double.TryParse(fields[step], NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
                || !double.TryParse(fields[loss], NumberStyles.Float, CultureInfo.InvariantCulture, out var l))
            {
                throw new FormatException($"loss curve '{displayName}' line {i + 1}: expected numbers for step and loss, got '{lines[i]}'.");
            }

            points.Add((s, l));
        }

        return points;
    }

    private static async Task<IReadOnlyList<(double, double)>> ReadParquetAsync(Stream stream, string displayName, CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(stream, null, true, cancellationToken).ConfigureAwait(false);
        await using var disposeReader = reader.ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var step = fields.FirstOrDefault(f => f.Name == "step");
        var loss = fields.FirstOrDefault(f => f.Name == "loss");
        if (step is null || loss is null)
        {
            throw new FormatException(
                $"loss curve '{displayName}': Parquet columns step and loss are required (found: {string.Join(", ", fields.Select(f => f.Name))}).");
        }

        var points = new List<(double, double)>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var steps = await ReadNumbersAsync(group, step, cancellationToken).ConfigureAwait(false);
            var losses = await ReadNumbersAsync(group, loss, cancellationToken).ConfigureAwait(false);
            points.AddRange(steps.Zip(losses));
        }

        return points;
    }

    // NOTE: only required (non-null) columns of double, float, int64 or int32 are read.
    private static async Task<double[]> ReadNumbersAsync(ParquetRowGroupReader group, DataField field, CancellationToken cancellationToken)
    {
        var count = checked((int)group.RowCount);
        if (field.ClrType == typeof(double))
        {
            var values = new double[count];
            await group.ReadAsync<double>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        if (field.ClrType == typeof(float))
        {
            var values = new float[count];
            await group.ReadAsync<float>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values.Select(v => (double)v).ToArray();
        }

        if (field.ClrType == typeof(long))
        {
            var values = new long[count];
            await group.ReadAsync<long>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values.Select(v => (double)v).ToArray();
        }

        if (field.ClrType == typeof(int))
        {
            var values = new int[count];
            await group.ReadAsync<int>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return values.Select(v => (double)v).ToArray();
        }

        throw new FormatException($"loss curve column '{field.Name}' has type {field.ClrType.Name}; use double, float, int64 or int32.");
    }
}
