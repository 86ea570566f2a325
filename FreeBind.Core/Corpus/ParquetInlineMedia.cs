using FreeBind.Media;
using Parquet;

namespace FreeBind.Corpus;

/// <summary>
/// Reads media bytes stored in the cells of a Parquet manifest, one column chunk at a time.
/// </summary>
/// <remarks>
/// A shard refers to inline bytes by column and row, so the bytes are read here at embedding time
/// rather than carried in the shard plan. The chunk of the last row group read is kept per column,
/// so the entries of a shard, which come in row order, open each chunk about once. Reads take
/// turns on one lock because a Parquet reader cannot serve two reads at once.
/// </remarks>
internal sealed class ParquetInlineMedia(string manifestName, Func<CancellationToken, Task<Stream>> openManifest)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, CachedChunk> chunks = new(StringComparer.Ordinal);

    /// <summary>Reads the bytes in <paramref name="column"/> at the 0-based <paramref
    /// name="row"/>.</summary>
    /// <exception cref="MediaException">Stage "read": the row or column is not in the manifest, or
    /// the cell is empty.</exception>
    public async Task<byte[]> ReadAsync(string column, long row, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!chunks.TryGetValue(column, out var chunk) || !chunk.Contains(row))
            {
                chunk = await LoadChunkAsync(column, row, cancellationToken).ConfigureAwait(false);
                chunks[column] = chunk;
            }

            return chunk.Values[row - chunk.FirstRow] is { Length: > 0 } bytes
                ? bytes
                : throw new MediaException("read",
                    $"column '{column}' of Parquet manifest '{manifestName}' has no bytes on row {row + 1}: "
                    + "the manifest changed after planning, so run the job again");
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<CachedChunk> LoadChunkAsync(string column, long row, CancellationToken cancellationToken)
    {
        var stream = await openManifest(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var field = reader.Schema.Fields.FirstOrDefault(candidate => candidate.Name == column);
                var bytesField = field is null ? null : ParquetManifestReader.ResolveMediaColumn(field, manifestName).Bytes;
                if (bytesField is null)
                {
                    throw new MediaException("read",
                        $"Parquet manifest '{manifestName}' has no binary column '{column}': "
                        + "the manifest changed after planning, so run the job again");
                }

                long firstRow = 0;
                for (var group = 0; group < reader.RowGroupCount; group++)
                {
                    using var rowGroup = reader.OpenRowGroupReader(group);
                    var count = checked((int)rowGroup.RowCount);
                    if (row < firstRow + count)
                    {
                        var values = await ParquetManifestReader.ReadBytesAsync(rowGroup, bytesField, count, cancellationToken)
                            .ConfigureAwait(false);
                        return new CachedChunk(firstRow, values);
                    }

                    firstRow += count;
                }

                throw new MediaException("read",
                    $"Parquet manifest '{manifestName}' has {firstRow} rows, so row {row + 1} is not found: "
                    + "the manifest changed after planning, so run the job again");
            }
        }
    }

    /// <summary>The cells of one column in one row group.</summary>
    /// <param name="FirstRow">0-based row of the first cell across the file.</param>
    /// <param name="Values">The cells, null where a cell or its struct is null.</param>
    private sealed record CachedChunk(long FirstRow, byte[]?[] Values)
    {
        public bool Contains(long row) => row >= FirstRow && row < FirstRow + Values.Length;
    }
}
