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
/// <remarks>
/// An image or audio column may hold a path or URI (string), the file's bytes (binary), or a
/// struct with a binary <c>bytes</c> field and a string <c>path</c> field, as Hugging Face
/// datasets write them. A row whose bytes are present refers to them by column and row, and a
/// row whose bytes are null falls back to its path.
/// </remarks>
internal static class ParquetManifestReader
{
    private const string MediaTypes =
        "a string (path or URI), a binary column (the file's bytes), "
        + "or a struct with a binary 'bytes' field and a string 'path' field";

    /// <summary>Yields one row per Parquet row, numbered from 1 across row groups.</summary>
    /// <exception cref="InvalidDataException">A chosen column has a type that the manifest cannot
    /// use.</exception>
    public static async IAsyncEnumerable<ManifestRow> ReadAsync(
        Stream stream, string manifestName, ManifestColumns columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = await ParquetReader.CreateAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        await using var disposeReader = reader.ConfigureAwait(false);
        var fields = reader.Schema.Fields;
        var names = fields.Select(field => field.Name).ToList();
        Field? Find(IReadOnlyList<string> candidates)
        {
            var name = ManifestColumns.Pick(candidates, names);
            return name is null ? null : fields.First(field => field.Name == name);
        }

        var id = ScalarColumn(Find(columns.Id), manifestName, allowIntegers: true);
        var textColumns = ManifestColumns.PickAll(columns.Text, names)
            .Select(name => ScalarColumn(fields.First(field => field.Name == name), manifestName, allowIntegers: false))
            .ToList();
        var image = Find(columns.Image) is { } imageField ? ResolveMediaColumn(imageField, manifestName) : null;
        var audio = Find(columns.Audio) is { } audioField ? ResolveMediaColumn(audioField, manifestName) : null;

        long number = 0;
        for (var group = 0; group < reader.RowGroupCount; group++)
        {
            using var rowGroup = reader.OpenRowGroupReader(group);
            var count = checked((int)rowGroup.RowCount);
            var ids = await ReadStringsAsync(rowGroup, id, count, cancellationToken).ConfigureAwait(false);
            var texts = new List<string?[]>(textColumns.Count);
            foreach (var textColumn in textColumns)
            {
                texts.Add(await ReadStringsAsync(rowGroup, textColumn, count, cancellationToken).ConfigureAwait(false));
            }

            var imagePaths = await ReadStringsAsync(rowGroup, image?.Path, count, cancellationToken).ConfigureAwait(false);
            var imageBytes = await HasBytesAsync(rowGroup, image?.Bytes, count, cancellationToken).ConfigureAwait(false);
            var audioPaths = await ReadStringsAsync(rowGroup, audio?.Path, count, cancellationToken).ConfigureAwait(false);
            var audioBytes = await HasBytesAsync(rowGroup, audio?.Bytes, count, cancellationToken).ConfigureAwait(false);

            for (var row = 0; row < count; row++)
            {
                number++;
                yield return new ManifestRow(
                    number,
                    ids[row],
                    ManifestColumns.FirstNonBlank(texts.Select(values => values[row])),
                    imageBytes[row] ? null : imagePaths[row],
                    audioBytes[row] ? null : audioPaths[row],
                    ImageBytesColumn: imageBytes[row] ? image!.Name : null,
                    AudioBytesColumn: audioBytes[row] ? audio!.Name : null);
            }
        }
    }

    /// <summary>
    /// Returns the leaf fields of an image or audio column: its path field, its bytes field, or
    /// both for a struct.
    /// </summary>
    /// <exception cref="InvalidDataException">The column has no usable type.</exception>
    public static MediaColumn ResolveMediaColumn(Field field, string manifestName)
    {
        if (field is DataField data)
        {
            if (IsString(data))
            {
                return new MediaColumn(field.Name, data, null);
            }

            if (IsBinary(data))
            {
                return new MediaColumn(field.Name, null, data);
            }
        }
        else if (field is StructField structField)
        {
            var path = structField.Fields.FirstOrDefault(
                child => string.Equals(child.Name, "path", StringComparison.OrdinalIgnoreCase)) as DataField;
            var bytes = structField.Fields.FirstOrDefault(
                child => string.Equals(child.Name, "bytes", StringComparison.OrdinalIgnoreCase)) as DataField;
            var pathUsable = path is null || IsString(path);
            var bytesUsable = bytes is null || IsBinary(bytes);
            if ((path is not null || bytes is not null) && pathUsable && bytesUsable)
            {
                return new MediaColumn(field.Name, path, bytes);
            }
        }

        throw new InvalidDataException(
            $"Parquet manifest '{manifestName}': column '{field.Name}' has type {Describe(field)}; "
            + $"an image or audio column must be {MediaTypes}.");
    }

    /// <summary>Returns the one data field of an id or text column, or null when the column is
    /// absent.</summary>
    private static DataField? ScalarColumn(Field? field, string manifestName, bool allowIntegers)
    {
        if (field is null)
        {
            return null;
        }

        if (field is DataField data && (IsString(data) || (allowIntegers && IsInteger(data))))
        {
            return data;
        }

        var accepted = allowIntegers ? "a string or integer column" : "a string column";
        throw new InvalidDataException(
            $"Parquet manifest '{manifestName}': column '{field.Name}' has type {Describe(field)}; "
            + $"it must be {accepted}.");
    }

    private static bool IsString(DataField field) =>
        !field.IsArray && (field.ClrType == typeof(string) || field.ClrType == typeof(ReadOnlyMemory<char>));

    private static bool IsBinary(DataField field) =>
        !field.IsArray && (field.ClrType == typeof(byte[]) || field.ClrType == typeof(ReadOnlyMemory<byte>));

    private static bool IsInteger(DataField field) =>
        !field.IsArray && (field.ClrType == typeof(long) || field.ClrType == typeof(int));

    /// <summary>Describes a column type in Parquet's terms, for error messages.</summary>
    private static string Describe(Field field) => field switch
    {
        DataField data when data.IsArray => $"list<{Describe(new DataField("item", data.ClrType))}>",
        DataField data when IsString(data) => "string",
        DataField data when IsBinary(data) => "binary",
        DataField data => data.ClrType.Name.ToLowerInvariant(),
        StructField structField =>
            $"struct<{string.Join(", ", structField.Fields.Select(child => $"{child.Name}: {Describe(child)}"))}>",
        ListField list => $"list<{Describe(list.Item)}>",
        MapField map => $"map<{Describe(map.Key)}, {Describe(map.Value)}>",
        _ => field.SchemaType.ToString().ToLowerInvariant(),
    };

    private static async Task<string?[]> ReadStringsAsync(
        ParquetRowGroupReader rowGroup, DataField? field, int count, CancellationToken cancellationToken)
    {
        var values = new string?[count];
        if (field is null)
        {
            return values;
        }

        if (IsString(field))
        {
            return await ReadLeafAsync<ReadOnlyMemory<char>, string>(
                rowGroup, field, count, value => value.ToString(), cancellationToken).ConfigureAwait(false);
        }

        if (field.ClrType == typeof(long))
        {
            var numbers = new long?[count];
            await rowGroup.ReadAsync(field, numbers.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return Array.ConvertAll(numbers, value => value?.ToString(CultureInfo.InvariantCulture));
        }

        var integers = new int?[count];
        await rowGroup.ReadAsync(field, integers.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        return Array.ConvertAll(integers, value => value?.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Returns, for each row, whether its cell of a binary column contains at least one
    /// byte.</summary>
    private static async Task<bool[]> HasBytesAsync(
        ParquetRowGroupReader rowGroup, DataField? field, int count, CancellationToken cancellationToken)
    {
        if (field is null)
        {
            return new bool[count];
        }

        var values = await ReadBytesAsync(rowGroup, field, count, cancellationToken).ConfigureAwait(false);
        return Array.ConvertAll(values, value => value is { Length: > 0 });
    }

    /// <summary>Reads a binary column of one row group, with null for a null cell or a null
    /// struct.</summary>
    public static async Task<byte[]?[]> ReadBytesAsync(
        ParquetRowGroupReader rowGroup, DataField field, int count, CancellationToken cancellationToken)
    {
        return await ReadLeafAsync<ReadOnlyMemory<byte>, byte[]>(
            rowGroup, field, count, value => value.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Reads a string or binary column of one row group from its values and definition levels,
    /// with null where the cell or a struct around it is null.
    /// </summary>
    /// <remarks>
    /// Parquet.Net 6.1's ReadAsync into a string array returns an empty string, or a string left
    /// from an earlier read, for a null field inside a non-null struct. The definition levels are
    /// exact, so this method places the values by them and copies each one out of the pooled
    /// buffer before it is returned.
    /// </remarks>
    private static async Task<TResult?[]> ReadLeafAsync<TValue, TResult>(
        ParquetRowGroupReader rowGroup,
        DataField field,
        int count,
        Func<TValue, TResult> copy,
        CancellationToken cancellationToken)
        where TValue : struct
        where TResult : class
    {
        var results = new TResult?[count];
        var values = new TValue[count];
        var levels = new int[count];
        await rowGroup.ReadRawAsync(field, values.AsMemory(), levels.AsMemory(), null, cancellationToken).ConfigureAwait(false);
        if (field.MaxDefinitionLevel == 0)
        {
            for (var row = 0; row < count; row++)
            {
                results[row] = copy(values[row]);
            }

            return results;
        }

        var next = 0;
        for (var row = 0; row < count; row++)
        {
            if (levels[row] == field.MaxDefinitionLevel)
            {
                results[row] = copy(values[next++]);
            }
        }

        return results;
    }

    /// <summary>The leaf fields of an image or audio column.</summary>
    /// <param name="Name">Top-level column name.</param>
    /// <param name="Path">String field with the path or URI, or null.</param>
    /// <param name="Bytes">Binary field with the file's bytes, or null.</param>
    internal sealed record MediaColumn(string Name, DataField? Path, DataField? Bytes);
}
