using FreeBind.Media;
using FreeBind.Storage;

using Parquet;
using Parquet.Schema;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Writes pseudo pairs to a Parquet file with the columns query_id, query_modality, data_mode,
/// pseudo_side (strings), source_embedding and target_embedding (<c>list&lt;float&gt;</c>),
/// Snappy-compressed, one row group per about 64 MiB of floats.
/// </summary>
/// <remarks>The key-value metadata holds the fields of <see cref="PseudoPairFileMetadata"/> and the FreeBind version.</remarks>
public static class PseudoPairParquetWriter
{
    /// <summary>Target amount of embedding data in one row group: 64 MiB of floats.</summary>
    public const int RowGroupFloatBytes = 64 << 20;

    internal const string FileKind = "pseudo pairs";

    internal static readonly string[] ColumnNames =
        ["query_id", "query_modality", "data_mode", "pseudo_side", "source_embedding", "target_embedding"];

    /// <summary>Creates the schema every pseudo-pair file uses.</summary>
    public static ParquetSchema CreateSchema() => new(
        ParquetColumns.RequiredString(ColumnNames[0]),
        ParquetColumns.RequiredString(ColumnNames[1]),
        ParquetColumns.RequiredString(ColumnNames[2]),
        ParquetColumns.RequiredString(ColumnNames[3]),
        new ListField(ColumnNames[4], new DataField<float>("element", false)),
        new ListField(ColumnNames[5], new DataField<float>("element", false)));

    /// <summary>Writes <paramref name="rows"/> as one complete file to <paramref name="output"/>, which stays open.</summary>
    /// <exception cref="ArgumentException">A row's embedding length differs from the declared dimension; the message names the row.</exception>
    public static async Task WriteAsync(
        Stream output, PseudoPairFileMetadata metadata, IReadOnlyList<PseudoPairRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(metadata.SourceDimension, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(metadata.TargetDimension, 1);
        foreach (var row in rows)
        {
            if (row.Source.Length != metadata.SourceDimension || row.Target.Length != metadata.TargetDimension)
            {
                throw new ArgumentException(
                    $"pair '{row.QueryId}' has dimensions {row.Source.Length} → {row.Target.Length}, but the file declares " +
                    $"{metadata.SourceDimension} ('{metadata.SourceSpace}') → {metadata.TargetDimension} ('{metadata.TargetSpace}').",
                    nameof(rows));
            }
        }

        var schema = CreateSchema();
        var fields = schema.GetDataFields();
        var writer = await ParquetWriter.CreateAsync(schema, output, ParquetColumns.CreateWriterOptions(), append: false, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            writer.CustomMetadata = new Dictionary<string, string>
            {
                [PseudoPairFileMetadata.BondKey] = metadata.Bond,
                [PseudoPairFileMetadata.SourceSpaceKey] = metadata.SourceSpace,
                [PseudoPairFileMetadata.TargetSpaceKey] = metadata.TargetSpace,
                [PseudoPairFileMetadata.SourceDimensionKey] = ParquetColumns.Format(metadata.SourceDimension),
                [PseudoPairFileMetadata.TargetDimensionKey] = ParquetColumns.Format(metadata.TargetDimension),
                [PseudoPairFileMetadata.DataModeKey] = metadata.DataMode,
                [EmbeddingFileMetadata.VersionKey] = ParquetColumns.FreeBindVersion,
            };

            var rowsPerGroup = Math.Max(1, RowGroupFloatBytes / sizeof(float) / (metadata.SourceDimension + metadata.TargetDimension));
            for (var start = 0; start < rows.Count; start += rowsPerGroup)
            {
                var group = rows.Skip(start).Take(rowsPerGroup).ToList();
                await WriteRowGroupAsync(writer, fields, metadata, group, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task WriteRowGroupAsync(
        ParquetWriter writer, DataField[] fields, PseudoPairFileMetadata metadata, List<PseudoPairRow> rows, CancellationToken cancellationToken)
    {
        using var rowGroup = writer.CreateRowGroup();
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[0], rows.Select(r => r.QueryId).ToArray(), cancellationToken).ConfigureAwait(false);
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[1], rows.Select(r => r.QueryModality.ToName()).ToArray(), cancellationToken).ConfigureAwait(false);
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[2], rows.Select(_ => metadata.DataMode).ToArray(), cancellationToken).ConfigureAwait(false);
        await ParquetColumns.WriteStringsAsync(rowGroup, fields[3], rows.Select(r => SideName(r.PseudoSide)).ToArray(), cancellationToken).ConfigureAwait(false);
        await WriteListAsync(rowGroup, fields[4], rows.Select(r => r.Source).ToList(), metadata.SourceDimension, cancellationToken).ConfigureAwait(false);
        await WriteListAsync(rowGroup, fields[5], rows.Select(r => r.Target).ToList(), metadata.TargetDimension, cancellationToken).ConfigureAwait(false);
        rowGroup.CompleteValidate();
    }

    /// <summary>Returns the pseudo_side column value: none, source or target.</summary>
    public static string SideName(PseudoSide side) => side.ToString().ToLowerInvariant();

    /// <summary>
    /// Writes fixed-length lists as one flat value array with Dremel levels: every value is defined
    /// at the field's maximum definition level, and repetition level 0 starts a new row.
    /// </summary>
    private static async Task WriteListAsync(
        ParquetRowGroupWriter rowGroup, DataField field, List<float[]> vectors, int dimension, CancellationToken cancellationToken)
    {
        var count = checked(vectors.Count * dimension);
        var values = new float[count];
        var definitionLevels = new int[count];
        var repetitionLevels = new int[count];
        Array.Fill(definitionLevels, field.MaxDefinitionLevel);
        for (var row = 0; row < vectors.Count; row++)
        {
            var start = row * dimension;
            vectors[row].CopyTo(values, start);
            repetitionLevels.AsSpan(start + 1, dimension - 1).Fill(field.MaxRepetitionLevel);
        }

        await rowGroup.WriteAllPartsAsync<float>(field, values, definitionLevels, repetitionLevels, cancellationToken).ConfigureAwait(false);
    }
}
