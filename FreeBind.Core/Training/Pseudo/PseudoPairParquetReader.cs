using System.Globalization;

using FreeBind.Storage;

using Parquet;
using Parquet.Schema;

namespace FreeBind.Training.Pseudo;

/// <summary>Reads a pseudo-pair Parquet file one row group at a time.</summary>
public sealed class PseudoPairParquetReader : IAsyncDisposable
{
    private readonly ParquetReader reader;
    private readonly DataField[] fields;

    private PseudoPairParquetReader(ParquetReader reader, PseudoPairFileMetadata metadata, DataField[] fields)
    {
        this.reader = reader;
        this.fields = fields;
        Metadata = metadata;
    }

    /// <summary>The file's key-value metadata.</summary>
    public PseudoPairFileMetadata Metadata { get; }

    /// <summary>Number of row groups in the file.</summary>
    public int RowGroupCount => reader.RowGroupCount;

    /// <summary>Number of rows in the file.</summary>
    public long RowCount => reader.RowGroups.Sum(g => g.RowCount);

    /// <summary>Opens a file and checks its columns and metadata.</summary>
    /// <param name="input">Readable, seekable stream.</param>
    /// <param name="leaveOpen">When false, disposing the reader disposes <paramref name="input"/>.</param>
    /// <param name="cancellationToken">Cancels reading the footer.</param>
    /// <exception cref="InvalidDataException">The file lacks a column or a metadata key.</exception>
    public static async Task<PseudoPairParquetReader> OpenAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        var reader = await ParquetReader.CreateAsync(input, parquetOptions: null, leaveOpen, cancellationToken).ConfigureAwait(false);
        try
        {
            var kind = PseudoPairParquetWriter.FileKind;
            var custom = reader.CustomMetadata;
            var metadata = new PseudoPairFileMetadata(
                ParquetColumns.RequireMetadata(custom, PseudoPairFileMetadata.BondKey, kind),
                ParquetColumns.RequireMetadata(custom, PseudoPairFileMetadata.SourceSpaceKey, kind),
                ParquetColumns.RequireMetadata(custom, PseudoPairFileMetadata.TargetSpaceKey, kind),
                ParseDimension(ParquetColumns.RequireMetadata(custom, PseudoPairFileMetadata.SourceDimensionKey, kind)),
                ParseDimension(ParquetColumns.RequireMetadata(custom, PseudoPairFileMetadata.TargetDimensionKey, kind)),
                ParquetColumns.RequireMetadata(custom, PseudoPairFileMetadata.DataModeKey, kind));
            var fields = PseudoPairParquetWriter.ColumnNames.Select(name => ParquetColumns.FindField(reader.Schema, name, kind)).ToArray();
            return new PseudoPairParquetReader(reader, metadata, fields);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads row group <paramref name="index"/> whole.</summary>
    /// <exception cref="InvalidDataException">An embedding's length differs from the declared dimension.</exception>
    public async Task<PseudoPairBatch> ReadRowGroupAsync(int index, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, RowGroupCount);

        using var rowGroup = reader.OpenRowGroupReader(index);
        var ids = await ParquetColumns.ReadStringsAsync(rowGroup, fields[0], cancellationToken).ConfigureAwait(false);
        var modalities = await ParquetColumns.ReadStringsAsync(rowGroup, fields[1], cancellationToken).ConfigureAwait(false);
        var modes = await ParquetColumns.ReadStringsAsync(rowGroup, fields[2], cancellationToken).ConfigureAwait(false);
        var source = await ReadMatrixAsync(rowGroup, fields[4], ids.Length, Metadata.SourceDimension, cancellationToken).ConfigureAwait(false);
        var target = await ReadMatrixAsync(rowGroup, fields[5], ids.Length, Metadata.TargetDimension, cancellationToken).ConfigureAwait(false);
        return new PseudoPairBatch
        {
            QueryIds = ids,
            QueryModalities = modalities,
            DataModes = modes,
            Source = source,
            Target = target,
            SourceDimension = Metadata.SourceDimension,
            TargetDimension = Metadata.TargetDimension,
        };
    }

    /// <summary>Reads the pseudo_side column of row group <paramref name="index"/>.</summary>
    public async Task<string[]> ReadPseudoSidesAsync(int index, CancellationToken cancellationToken)
    {
        using var rowGroup = reader.OpenRowGroupReader(index);
        return await ParquetColumns.ReadStringsAsync(rowGroup, fields[3], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the file, and its stream unless it was opened with leaveOpen.</summary>
    public ValueTask DisposeAsync() => reader.DisposeAsync();

    private static int ParseDimension(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidDataException($"pseudo-pair dimension metadata is '{text}'; expected a positive integer.");

    /// <summary>
    /// Copies fixed-length lists into a row-major matrix, checking that every row starts where the
    /// repetition levels say and holds exactly <paramref name="dimension"/> defined values.
    /// </summary>
    private static async Task<float[]> ReadMatrixAsync(
        ParquetRowGroupReader rowGroup, DataField field, int rows, int dimension, CancellationToken cancellationToken)
    {
        using var column = await rowGroup.ReadRawColumnDataBaseAsync(field, cancellationToken).ConfigureAwait(false);
        var raw = (Parquet.Data.RawColumnData<float>)column;
        var values = raw.Values;
        var repetitionLevels = raw.RepetitionLevels;
        var definitionLevels = raw.DefinitionLevels;
        var expected = rows * dimension;
        if (values.Length != expected || repetitionLevels.Length != expected)
        {
            throw new InvalidDataException(
                $"column '{field.Path}' holds {values.Length} values for {rows} rows of dimension {dimension}; the file is damaged, write it again.");
        }

        for (var i = 0; i < expected; i++)
        {
            var startsRow = i % dimension == 0;
            if ((repetitionLevels[i] == 0) != startsRow || definitionLevels[i] != field.MaxDefinitionLevel)
            {
                throw new InvalidDataException(
                    $"column '{field.Path}' row {i / dimension} does not hold exactly {dimension} non-null values; the file is damaged, write it again.");
            }
        }

        return values.ToArray();
    }
}
