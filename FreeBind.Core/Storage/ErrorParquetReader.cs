using System.Runtime.CompilerServices;
using Parquet;

namespace FreeBind.Storage;

/// <summary>Reads the errors Parquet files that <see cref="ErrorParquetWriter"/> writes.</summary>
public static class ErrorParquetReader
{
    /// <summary>Streams every row of the file, one row group at a time.</summary>
    /// <param name="input">Readable, seekable stream; it stays open.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="InvalidDataException">The file lacks one of the four columns.</exception>
    public static async IAsyncEnumerable<ErrorRow> ReadAsync(Stream input, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);

        var reader = await ParquetReader.CreateAsync(input, parquetOptions: null, leaveStreamOpen: true, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var fields = ErrorParquetWriter.ColumnNames
                .Select(name => ParquetColumns.FindField(reader.Schema, name, ErrorParquetWriter.FileKind))
                .ToArray();

            for (var index = 0; index < reader.RowGroupCount; index++)
            {
                using var rowGroup = reader.OpenRowGroupReader(index);
                var ids = await ParquetColumns.ReadStringsAsync(rowGroup, fields[0], cancellationToken).ConfigureAwait(false);
                var sources = await ParquetColumns.ReadStringsAsync(rowGroup, fields[1], cancellationToken).ConfigureAwait(false);
                var stages = await ParquetColumns.ReadStringsAsync(rowGroup, fields[2], cancellationToken).ConfigureAwait(false);
                var messages = await ParquetColumns.ReadStringsAsync(rowGroup, fields[3], cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < ids.Length; i++)
                {
                    yield return new ErrorRow(ids[i], sources[i], stages[i], messages[i]);
                }
            }
        }
    }
}
