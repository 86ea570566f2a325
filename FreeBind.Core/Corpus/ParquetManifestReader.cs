using System.Globalization;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace FreeBind.Corpus;

/// <summary>
/// Reads a Parquet manifest one row group at a time, so memory follows the row group size rather
/// than the file size. String columns are read as text, and integer id columns are formatted
/// in invariant culture.
/// </summary>
internal static class ParquetManifestReader
{
    /// <summary>Yields one row per Parquet row, numbered from 1 across row groups.</summary>
    /// <exception cref="InvalidDataException">A chosen column has a type other than string or
    /// integer.</exception>
    public static async IAsyncEnumerable<ManifestRow> ReadAsync(
        Stream stream, string manifestName, ManifestColumns columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var disposeReader = reader.ConfigureAwait(false);
        var fields = reader.Schema.GetDataFields();
        var names = fields.Select(field => field.Name).ToList();
        DataField? Find(IReadOnlyList<string> candidates)
        {
            var name = ManifestColumns.Pick(candidates, names);
            return name is null ? null : fields.First(field => field.Name == name);
        }

        var id = Find(columns.Id);
        var text = Find(columns.Text);
        var image = Find(columns.Image);
        var audio = Find(columns.Audio);

        long number = 0;
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = checked((int)rowGroup.RowCount);
            var ids = await ReadColumnAsync(rowGroup, id, count, manifestName, cancellationToken).ConfigureAwait(false);
            var texts = await ReadColumnAsync(rowGroup, text, count, manifestName, cancellationToken).ConfigureAwait(false);
            var images = await ReadColumnAsync(rowGroup, image, count, manifestName, cancellationToken).ConfigureAwait(false);
            var audios = await ReadColumnAsync(rowGroup, audio, count, manifestName, cancellationToken).ConfigureAwait(false);

            for (var row = 0; row < count; row++)
            {
                number++;
                yield return new ManifestRow(number, ids[row], texts[row], images[row], audios[row]);
            }
        }
    }

    private static async Task<string?[]> ReadColumnAsync(
        ParquetRowGroupReader rowGroup, DataField? field, int count, string manifestName, CancellationToken cancellationToken)
    {
        var values = new string?[count];
        if (field is null)
        {
            return values;
        }

        // Parquet.Net 6.1 reports string columns read from a file as ReadOnlyMemory<char>.
        if (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>))
        {
            await rowGroup.ReadAsync(field, values.AsMemory()!, null, cancellationToken).ConfigureAwait(false);
            return values;
        }

        if (field.ClrType == typeof(long))
        {
            var numbers = new long?[count];
            await rowGroup.ReadAsync(field, numbers.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return Array.ConvertAll(numbers, value => value?.ToString(CultureInfo.InvariantCulture));
        }

        if (field.ClrType == typeof(int))
        {
            var numbers = new int?[count];
            await rowGroup.ReadAsync(field, numbers.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return Array.ConvertAll(numbers, value => value?.ToString(CultureInfo.InvariantCulture));
        }

        throw new InvalidDataException(
            $"Parquet manifest '{manifestName}': column '{field.Name}' has type {field.ClrType.Name}; "
            + "write ids as string or integer columns and paths and text as string columns.");
    }
}
