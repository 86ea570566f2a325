using System.Globalization;
using System.Reflection;
using Parquet;
using Parquet.Schema;

namespace FreeBind.Storage;

/// <summary>Settings and column helpers shared by the FreeBind Parquet writers and readers.</summary>
internal static class ParquetColumns
{
    /// <summary>Version of this FreeBind build, written to every file.</summary>
    public static readonly string FreeBindVersion =
        typeof(ParquetColumns).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(ParquetColumns).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    /// <summary>Writer options: Snappy, which keeps writes fast where Zstd at its default level is slow.</summary>
    public static ParquetOptions CreateWriterOptions() => new()
    {
        CompressionMethod = CompressionMethod.Snappy,
        CompressionLevel = System.IO.Compression.CompressionLevel.Fastest,
    };

    /// <summary>A required (non-null) UTF-8 string column.</summary>
    public static DataField<string> RequiredString(string name) => new(name, false);

    public static async Task WriteStringsAsync(ParquetRowGroupWriter rowGroup, DataField field, string[] values, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await rowGroup.WriteAsync(field, values, null).ConfigureAwait(false);
    }

    public static async Task<string[]> ReadStringsAsync(ParquetRowGroupReader rowGroup, DataField field, CancellationToken cancellationToken)
    {
        var values = new string?[checked((int)rowGroup.RowCount)];
        await rowGroup.ReadAsync(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);

        // The columns are declared required, so a null here means the file is damaged.
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] is null)
            {
                throw new InvalidDataException($"Column '{field.Name}' has a null value at row {i} of a row group; the column is declared required.");
            }
        }

        return values!;
    }

    /// <summary>Returns the data field named <paramref name="name"/>, or throws naming the file's columns.</summary>
    public static DataField FindField(ParquetSchema schema, string name, string fileKind)
    {
        var field = schema.GetDataFields().FirstOrDefault(f => f.Path.ToList()[0] == name);
        return field ?? throw new InvalidDataException(
            $"The {fileKind} Parquet file has no '{name}' column; its columns are " +
            string.Join(", ", schema.GetDataFields().Select(f => f.Path.ToString())) + ".");
    }

    public static string RequireMetadata(IReadOnlyDictionary<string, string> metadata, string key, string fileKind) =>
        metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"The {fileKind} Parquet file has no '{key}' key-value metadata; it was not written by FreeBind's writer.");

    public static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
