using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace FreeBind.Storage;

/// <summary>
/// Writes <see cref="EmbeddingRow"/>s to a Parquet file with columns id, modality, space, model
/// (strings), embedding (<c>list&lt;float&gt;</c> with non-null elements) and source (string),
/// Snappy-compressed, one row group per about 64 MiB of floats.
/// </summary>
/// <remarks>
/// Rows are buffered until a row group is full. The key-value metadata contains the dimension,
/// space, modality, model fingerprint and FreeBind version (keys in <see cref="EmbeddingFileMetadata"/>).
/// Call <see cref="CompleteAsync"/> to write the footer; disposing without it leaves the stream
/// without a footer, which no reader accepts.
/// </remarks>
public sealed class EmbeddingParquetWriter : IAsyncDisposable
{
    /// <summary>Target amount of embedding data in one row group: 64 MiB of floats.</summary>
    public const int RowGroupFloatBytes = 64 << 20;

    internal const string FileKind = "embeddings";

    private readonly ParquetWriter writer;
    private readonly EmbeddingFileMetadata metadata;
    private readonly DataField[] fields;
    private readonly int rowsPerGroup;
    private readonly List<EmbeddingRow> pending;
    private long rowCount;
    private bool completed;

    private EmbeddingParquetWriter(ParquetWriter writer, EmbeddingFileMetadata metadata, DataField[] fields, int rowGroupFloatBytes)
    {
        this.writer = writer;
        this.metadata = metadata;
        this.fields = fields;
        rowsPerGroup = Math.Max(1, rowGroupFloatBytes / sizeof(float) / metadata.Dimension);
        pending = new List<EmbeddingRow>(Math.Min(rowsPerGroup, 1 << 16));
    }

    /// <summary>Number of rows accepted so far.</summary>
    public long RowCount => rowCount;

    /// <summary>Rows in one full row group for this file's dimension.</summary>
    public int RowsPerGroup => rowsPerGroup;

    /// <summary>Creates the Parquet schema every embeddings file uses.</summary>
    public static ParquetSchema CreateSchema() => CreateSchema(fused: false);

    /// <summary>Creates the schema; fused files add the string columns profile and factors.</summary>
    public static ParquetSchema CreateSchema(bool fused)
    {
        var fields = new List<Field>
        {
            ParquetColumns.RequiredString("id"),
            ParquetColumns.RequiredString("modality"),
            ParquetColumns.RequiredString("space"),
            ParquetColumns.RequiredString("model"),
            new ListField("embedding", new DataField<float>("element", false)),
            ParquetColumns.RequiredString("source"),
        };
        if (fused)
        {
            fields.Add(ParquetColumns.RequiredString("profile"));
            fields.Add(ParquetColumns.RequiredString("factors"));
        }

        return new ParquetSchema(fields);
    }

    /// <summary>Starts a file on <paramref name="output"/>, which the writer does not dispose.</summary>
    /// <param name="output">Writable stream; it need not be seekable.</param>
    /// <param name="metadata">
    /// What all rows share; <see cref="EmbeddingFileMetadata.FreeBindVersion"/> is set to this build's version when null.
    /// </param>
    /// <param name="cancellationToken">Cancels writing the file header.</param>
    public static Task<EmbeddingParquetWriter> CreateAsync(Stream output, EmbeddingFileMetadata metadata, CancellationToken cancellationToken) =>
        CreateAsync(output, metadata, RowGroupFloatBytes, cancellationToken);

    /// <summary>Starts a file whose row groups hold about <paramref name="rowGroupFloatBytes"/> of floats; tests use small groups.</summary>
    internal static async Task<EmbeddingParquetWriter> CreateAsync(
        Stream output, EmbeddingFileMetadata metadata, int rowGroupFloatBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentOutOfRangeException.ThrowIfLessThan(metadata.Dimension, 1);
        ArgumentException.ThrowIfNullOrEmpty(metadata.Space);
        ArgumentException.ThrowIfNullOrEmpty(metadata.Modality);
        ArgumentException.ThrowIfNullOrEmpty(metadata.Model);

        var complete = metadata with { FreeBindVersion = metadata.FreeBindVersion ?? ParquetColumns.FreeBindVersion };
        var schema = CreateSchema(fused: complete.Profile is not null);
        var writer = await ParquetWriter.CreateAsync(schema, output, ParquetColumns.CreateWriterOptions(), append: false, cancellationToken).ConfigureAwait(false);
        var customMetadata = new Dictionary<string, string>
        {
            [EmbeddingFileMetadata.DimensionKey] = ParquetColumns.Format(complete.Dimension),
            [EmbeddingFileMetadata.SpaceKey] = complete.Space,
            [EmbeddingFileMetadata.ModalityKey] = complete.Modality,
            [EmbeddingFileMetadata.ModelKey] = complete.Model,
            [EmbeddingFileMetadata.VersionKey] = complete.FreeBindVersion!,
        };
        if (complete.Profile is not null)
        {
            customMetadata[EmbeddingFileMetadata.ProfileKey] = complete.Profile;
            customMetadata[EmbeddingFileMetadata.FactorsKey] = complete.Factors ?? "{}";
        }

        writer.CustomMetadata = customMetadata;

        return new EmbeddingParquetWriter(writer, complete, schema.GetDataFields(), rowGroupFloatBytes);
    }

    /// <summary>Writes <paramref name="rows"/> as one complete file to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">A row does not match <paramref name="metadata"/>.</exception>
    public static async Task WriteAsync(Stream output, EmbeddingFileMetadata metadata, IEnumerable<EmbeddingRow> rows, CancellationToken cancellationToken)
    {
        var writer = await CreateAsync(output, metadata, cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            await writer.AppendAsync(rows, cancellationToken).ConfigureAwait(false);
            await writer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds rows, writing each row group as it fills.</summary>
    /// <exception cref="ArgumentException">
    /// A row's embedding length differs from the declared dimension, or its space, modality or
    /// model differs from the file's; the message names the row id. Rows before it are kept.
    /// </exception>
    public async Task AppendAsync(IEnumerable<EmbeddingRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ObjectDisposedException.ThrowIf(completed, this);

        foreach (var row in rows)
        {
            Validate(row);
            pending.Add(row);
            rowCount++;
            if (pending.Count == rowsPerGroup)
            {
                await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes the buffered rows and the footer. The output stream stays open.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(completed, this);

        if (pending.Count > 0)
        {
            await WriteRowGroupAsync(cancellationToken).ConfigureAwait(false);
        }

        completed = true;
        await writer.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Releases the writer; after a failure no footer is written.</summary>
    public ValueTask DisposeAsync()
    {
        // Parquet.Net writes the footer on dispose, so an abandoned writer is left to the GC:
        // the caller's write has failed and the partial file is discarded.
        completed = true;
        pending.Clear();
        return ValueTask.CompletedTask;
    }

    private void Validate(EmbeddingRow row)
    {
        ArgumentNullException.ThrowIfNull(row);

        if (row.Embedding is null || row.Embedding.Length != metadata.Dimension)
        {
            throw new ArgumentException(
                $"Embedding of row '{row.Id}' has {row.Embedding?.Length ?? 0} values, but the file's space '{metadata.Space}' declares dimension {metadata.Dimension}.",
                "rows");
        }

        if (row.Space != metadata.Space || row.Modality != metadata.Modality || row.Model != metadata.Model)
        {
            throw new ArgumentException(
                $"Row '{row.Id}' has space '{row.Space}', modality '{row.Modality}', model '{row.Model}', but the file declares " +
                $"'{metadata.Space}', '{metadata.Modality}', '{metadata.Model}'; write each space, modality and model to its own file.",
                "rows");
        }

        if (row.Id is null || row.Source is null)
        {
            throw new ArgumentException($"Row '{row.Id}' has a null id or source; both columns are required.", "rows");
        }
    }

    private async Task WriteRowGroupAsync(CancellationToken cancellationToken)
    {
        var count = pending.Count;
        var dimension = metadata.Dimension;
        var valueCount = checked(count * dimension);

        var values = ArrayPool<float>.Shared.Rent(valueCount);
        var definitionLevels = ArrayPool<int>.Shared.Rent(valueCount);
        var repetitionLevels = ArrayPool<int>.Shared.Rent(valueCount);
        try
        {
            var embeddingField = fields[4];
            FillEmbeddingColumn(values, definitionLevels, repetitionLevels, embeddingField);

            using var rowGroup = writer.CreateRowGroup();
            await ParquetColumns.WriteStringsAsync(rowGroup, fields[0], Column(r => r.Id), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(rowGroup, fields[1], Column(r => r.Modality), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(rowGroup, fields[2], Column(r => r.Space), cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(rowGroup, fields[3], Column(r => r.Model), cancellationToken).ConfigureAwait(false);
            await rowGroup.WriteAllPartsAsync<float>(
                embeddingField,
                values.AsMemory(0, valueCount),
                definitionLevels.AsMemory(0, valueCount),
                repetitionLevels.AsMemory(0, valueCount),
                cancellationToken).ConfigureAwait(false);
            await ParquetColumns.WriteStringsAsync(rowGroup, fields[5], Column(r => r.Source), cancellationToken).ConfigureAwait(false);
            if (metadata.Profile is not null)
            {
                await ParquetColumns.WriteStringsAsync(rowGroup, fields[6], Column(_ => metadata.Profile), cancellationToken).ConfigureAwait(false);
                await ParquetColumns.WriteStringsAsync(rowGroup, fields[7], Column(_ => metadata.Factors ?? "{}"), cancellationToken).ConfigureAwait(false);
            }
            rowGroup.CompleteValidate();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(values);
            ArrayPool<int>.Shared.Return(definitionLevels);
            ArrayPool<int>.Shared.Return(repetitionLevels);
        }

        pending.Clear();
    }

    /// <summary>
    /// Lays the embeddings out as one flat value array with Dremel levels: every value is
    /// defined at the field's maximum definition level, and repetition level 0 starts a new row.
    /// </summary>
    private void FillEmbeddingColumn(float[] values, int[] definitionLevels, int[] repetitionLevels, DataField embeddingField)
    {
        var dimension = metadata.Dimension;
        var maxDefinition = embeddingField.MaxDefinitionLevel;
        var maxRepetition = embeddingField.MaxRepetitionLevel;
        for (var row = 0; row < pending.Count; row++)
        {
            var start = row * dimension;
            pending[row].Embedding.AsSpan().CopyTo(values.AsSpan(start, dimension));
            repetitionLevels[start] = 0;
            repetitionLevels.AsSpan(start + 1, dimension - 1).Fill(maxRepetition);
        }

        definitionLevels.AsSpan(0, pending.Count * dimension).Fill(maxDefinition);
    }

    private string[] Column(Func<EmbeddingRow, string> select)
    {
        var column = new string[pending.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = select(pending[i]);
        }

        return column;
    }
}
