using Parquet;
using Parquet.Schema;

namespace FreeBind.Storage;

/// <summary>
/// Writes a shard's <see cref="ErrorRow"/>s to a Parquet file with required string columns id,
/// source, stage and message, Snappy-compressed, and the FreeBind version as key-value metadata.
/// </summary>
public static class ErrorParquetWriter
{
    /// <summary>Maximum rows in one row group.</summary>
    public const int RowsPerGroup = 100_000;

    internal const string FileKind = "errors";

    internal static readonly string[] ColumnNames = ["id", "source", "stage", "message"];

    /// <summary>Creates the Parquet schema every errors file uses.</summary>
    public static ParquetSchema CreateSchema() => new(ColumnNames.Select(name => (Field)ParquetColumns.RequiredString(name)));

    /// <summary>Writes <paramref name="rows"/> as one complete file to <paramref name="output"/>, which stays open.</summary>
    /// <exception cref="ArgumentException">A row has a null field; the message names its id.</exception>
    public static async Task WriteAsync(Stream output, IEnumerable<ErrorRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rows);

        var schema = CreateSchema();
        var fields = schema.GetDataFields();
        var writer = await ParquetWriter.CreateAsync(schema, output, ParquetColumns.CreateWriterOptions(), append: false, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            writer.CustomMetadata = new Dictionary<string, string> { [EmbeddingFileMetadata.VersionKey] = ParquetColumns.FreeBindVersion };

            // A file with no errors still gets one empty row group, so every reader sees the schema.
            var batch = new List<ErrorRow>();
            var wroteGroup = false;
            foreach (var row in rows)
            {
                Validate(row);
                batch.Add(row);
                if (batch.Count == RowsPerGroup)
                {
                    await WriteRowGroupAsync(writer, fields, batch, cancellationToken).ConfigureAwait(false);
                    wroteGroup = true;
                }
            }

            if (batch.Count > 0 || !wroteGroup)
            {
                await WriteRowGroupAsync(writer, fields, batch, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static void Validate(ErrorRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.Id is null || row.Source is null || row.Stage is null || row.Message is null)
        {
            throw new ArgumentException($"Error row '{row.Id}' has a null field; id, source, stage and message are all required.", "rows");
        }
    }

    private static async Task WriteRowGroupAsync(ParquetWriter writer, DataField[] fields, List<ErrorRow> batch, CancellationToken cancellationToken)
    {
        using var rowGroup = writer.CreateRowGroup();
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[0], batch.Select(r => r.Id).ToArray(), cancellationToken).ConfigureAwait(false);
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[1], batch.Select(r => r.Source).ToArray(), cancellationToken).ConfigureAwait(false);
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[2], batch.Select(r => r.Stage).ToArray(), cancellationToken).ConfigureAwait(false);
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[3], batch.Select(r => r.Message).ToArray(), cancellationToken).ConfigureAwait(false);
        rowGroup.CompleteValidate();
        batch.Clear();
    }
}
