using System.Globalization;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace FreeBind.Storage;

/// <summary>
/// Reads the embeddings Parquet files that <see cref="EmbeddingParquetWriter"/> writes, one row
/// group at a time, so memory stays near one row group (about 64 MiB of floats).
/// </summary>
public sealed class EmbeddingParquetReader : IAsyncDisposable
{
    private readonly ParquetReader reader;
    private readonly DataField[] fields;

    private EmbeddingParquetReader(ParquetReader reader, EmbeddingFileMetadata metadata, DataField[] fields)
    {
        this.reader = reader;
        this.fields = fields;
        Metadata = metadata;
    }

    /// <summary>The file's key-value metadata.</summary>
    public EmbeddingFileMetadata Metadata { get; }

    /// <summary>Number of row groups in the file.</summary>
    public int RowGroupCount => reader.RowGroupCount;

    /// <summary>Number of rows in the file.</summary>
    public long RowCount => reader.RowGroups.Sum(g => g.RowCount);

    /// <summary>Opens a file and checks its columns and metadata.</summary>
    /// <param name="input">Readable, seekable stream such as <see cref="IBlobStore.OpenReadAsync"/> returns.</param>
    /// <param name="leaveOpen">When false, disposing the reader disposes <paramref name="input"/>.</param>
    /// <param name="cancellationToken">Cancels reading the footer.</param>
    /// <exception cref="InvalidDataException">The file lacks a column or a metadata key, or has a bad dimension.</exception>
    public static async Task<EmbeddingParquetReader> OpenAsync(Stream input, bool leaveOpen, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        var reader = await ParquetReader.CreateAsync(input, parquetOptions: null, leaveOpen, cancellationToken).ConfigureAwait(false);
        try
        {
            var kind = EmbeddingParquetWriter.FileKind;
            var metadata = reader.CustomMetadata;
            var dimensionText = ParquetColumns.RequireMetadata(metadata, EmbeddingFileMetadata.DimensionKey, kind);
            if (!int.TryParse(dimensionText, NumberStyles.None, CultureInfo.InvariantCulture, out var dimension) || dimension < 1)
            {
                throw new InvalidDataException($"Metadata '{EmbeddingFileMetadata.DimensionKey}' is '{dimensionText}'; expected a positive integer.");
            }

            var fileMetadata = new EmbeddingFileMetadata(
                ParquetColumns.RequireMetadata(metadata, EmbeddingFileMetadata.SpaceKey, kind),
                ParquetColumns.RequireMetadata(metadata, EmbeddingFileMetadata.ModalityKey, kind),
                ParquetColumns.RequireMetadata(metadata, EmbeddingFileMetadata.ModelKey, kind),
                dimension,
                ParquetColumns.RequireMetadata(metadata, EmbeddingFileMetadata.VersionKey, kind));

            string[] names = ["id", "modality", "space", "model", "embedding", "source"];
            var fields = names.Select(name => ParquetColumns.FindField(reader.Schema, name, kind)).ToArray();
            if (fields[4].ClrType != typeof(float) || fields[4].MaxRepetitionLevel != 1)
            {
                throw new InvalidDataException($"Column 'embedding' is {fields[4].ClrType.Name} with repetition level {fields[4].MaxRepetitionLevel}; expected list<float>.");
            }

            return new EmbeddingParquetReader(reader, fileMetadata, fields);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads row group <paramref name="index"/> whole.</summary>
    /// <exception cref="InvalidDataException">An embedding's length differs from the declared dimension.</exception>
    public async Task<IReadOnlyList<EmbeddingRow>> ReadRowGroupAsync(int index, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, RowGroupCount);

        using var rowGroup = reader.OpenRowGroupReader(index);
        var ids = await ParquetColumns.ReadStringsAsync(rowGroup, fields[0], cancellationToken).ConfigureAwait(false);
        var modalities = await ParquetColumns.ReadStringsAsync(rowGroup, fields[1], cancellationToken).ConfigureAwait(false);
        var spaces = await ParquetColumns.ReadStringsAsync(rowGroup, fields[2], cancellationToken).ConfigureAwait(false);
        var models = await ParquetColumns.ReadStringsAsync(rowGroup, fields[3], cancellationToken).ConfigureAwait(false);
        var sources = await ParquetColumns.ReadStringsAsync(rowGroup, fields[5], cancellationToken).ConfigureAwait(false);

        float[][] embeddings;
        using (var column = await rowGroup.ReadRawColumnDataBaseAsync(fields[4], cancellationToken).ConfigureAwait(false))
        {
            embeddings = SplitLists((Parquet.Data.RawColumnData<float>)column, ids, fields[4].MaxDefinitionLevel, Metadata.Dimension);
        }

        var rows = new EmbeddingRow[ids.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new EmbeddingRow(ids[i], modalities[i], spaces[i], models[i], embeddings[i], sources[i]);
        }

        return rows;
    }

    /// <summary>Streams every row, reading one row group at a time.</summary>
    public async IAsyncEnumerable<EmbeddingRow> ReadRowsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        for (var index = 0; index < RowGroupCount; index++)
        {
            foreach (var row in await ReadRowGroupAsync(index, cancellationToken).ConfigureAwait(false))
            {
                yield return row;
            }
        }
    }

    /// <summary>Closes the file, and its stream unless it was opened with leaveOpen.</summary>
    public ValueTask DisposeAsync() => reader.DisposeAsync();

    /// <summary>
    /// Rebuilds one array per row from the flat values and Dremel levels: repetition level 0
    /// starts a row, and only entries at the maximum definition level carry a value.
    /// </summary>
    private static float[][] SplitLists(Parquet.Data.RawColumnData<float> column, string[] ids, int maxDefinition, int dimension)
    {
        var values = column.Values;
        var definitionLevels = column.DefinitionLevels;
        var repetitionLevels = column.RepetitionLevels;

        var embeddings = new float[ids.Length][];
        var row = -1;
        var valueIndex = 0;
        var start = 0;
        for (var i = 0; i < repetitionLevels.Length; i++)
        {
            if (repetitionLevels[i] == 0)
            {
                if (row >= 0)
                {
                    embeddings[row] = TakeRow(values, start, valueIndex, ids, row, dimension);
                }

                row++;
                start = valueIndex;
            }

            if (definitionLevels[i] == maxDefinition)
            {
                valueIndex++;
            }
        }

        if (row >= 0)
        {
            embeddings[row] = TakeRow(values, start, valueIndex, ids, row, dimension);
        }

        if (row + 1 != ids.Length)
        {
            throw new InvalidDataException($"Column 'embedding' contains {row + 1} lists for {ids.Length} rows, so the file is damaged; write it again.");
        }

        return embeddings;
    }

    private static float[] TakeRow(ReadOnlySpan<float> values, int start, int end, string[] ids, int row, int dimension)
    {
        if (row >= ids.Length || end - start != dimension)
        {
            var id = row < ids.Length ? ids[row] : $"#{row}";
            throw new InvalidDataException($"Embedding of row '{id}' has {end - start} values; the file declares dimension {dimension}.");
        }

        return values.Slice(start, dimension).ToArray();
    }
}
