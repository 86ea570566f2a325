using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// Tensors and metadata of a safetensors file: an 8-byte little-endian header length, a JSON
/// header mapping each name to <c>dtype</c>, <c>shape</c> and <c>data_offsets</c> (relative to
/// the data section) plus an optional <c>__metadata__</c> object of strings, then the data.
/// </summary>
/// <remarks>
/// Reading accepts F32, F16, BF16, F64 and the integer types, converted to float32; writing
/// always stores F32. The whole file is read into memory.
/// </remarks>
public sealed class SafetensorsFile
{
    /// <summary>Largest header accepted, in bytes (100 MB), so a damaged length cannot allocate gigabytes.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private const string MetadataKey = "__metadata__";

    private SafetensorsFile(
        IReadOnlyDictionary<string, CheckpointTensor> tensors,
        IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    /// <summary>Tensors by name, in header order.</summary>
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }

    /// <summary>The <c>__metadata__</c> entries; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the safetensors file at <paramref name="path"/>.</summary>
    /// <exception cref="InvalidDataException">The header is invalid, a dtype is not supported or an offset is out of range.</exception>
    public static SafetensorsFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Reads and validates safetensors bytes from a stream, which stays open.</summary>
    /// <param name="stream">The file's bytes, read to the end.</param>
    /// <param name="source">Name for messages, such as the path.</param>
    /// <inheritdoc cref="Read(string)"/>
    public static SafetensorsFile Read(Stream stream, string source = "safetensors")
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray(), source);
    }

    /// <summary>Writes tensors as F32 and optional string metadata to <paramref name="path"/>, replacing the file.</summary>
    /// <param name="path">Destination file.</param>
    /// <param name="tensors">Tensors by name; written in this order.</param>
    /// <param name="metadata">Optional <c>__metadata__</c> entries.</param>
    /// <exception cref="ArgumentException">A name is empty or reserved.</exception>
    public static void Write(
        string path,
        IReadOnlyDictionary<string, CheckpointTensor> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(tensors);

        byte[] header = BuildHeader(tensors, metadata);
        using FileStream stream = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
        stream.Write(length);
        stream.Write(header);

        foreach (CheckpointTensor tensor in tensors.Values)
        {
            var bytes = new byte[tensor.Values.Length * sizeof(float)];
            for (int i = 0; i < tensor.Values.Length; i++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), tensor.Values[i]);
            }

            stream.Write(bytes);
        }
    }

    private static byte[] BuildHeader(
        IReadOnlyDictionary<string, CheckpointTensor> tensors,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach ((string key, string value) in metadata)
                {
                    writer.WriteString(key, value);
                }

                writer.WriteEndObject();
            }

            long offset = 0;
            foreach ((string name, CheckpointTensor tensor) in tensors)
            {
                if (string.IsNullOrEmpty(name) || name == MetadataKey)
                {
                    throw new ArgumentException($"tensor name '{name}' is empty or reserved; rename the tensor", nameof(tensors));
                }

                long end = offset + (long)tensor.Values.Length * sizeof(float);
                writer.WriteStartObject(name);
                writer.WriteString("dtype", "F32");
                writer.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape)
                {
                    writer.WriteNumberValue(dimension);
                }

                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                writer.WriteNumberValue(end);
                writer.WriteEndArray();
                writer.WriteEndObject();
                offset = end;
            }

            writer.WriteEndObject();
        }

        // Pad with spaces so the data section starts on an 8-byte boundary, as the reference writer does.
        while (buffer.Length % 8 != 0)
        {
            buffer.WriteByte((byte)' ');
        }

        return buffer.ToArray();
    }

    private static SafetensorsFile Parse(byte[] file, string source)
    {
        if (file.Length < 8)
        {
            throw new InvalidDataException($"safetensors file '{source}' has {file.Length} bytes, fewer than the 8-byte header length");
        }

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > MaxHeaderLength || headerLength > (ulong)(file.Length - 8))
        {
            throw new InvalidDataException(
                $"safetensors file '{source}' declares a {headerLength}-byte header but has {file.Length - 8} bytes after the length "
                + $"(maximum header {MaxHeaderLength}); the file is truncated or not safetensors");
        }

        int dataStart = 8 + (int)headerLength;
        ReadOnlySpan<byte> data = file.AsSpan(dataStart);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(file.AsMemory(8, (int)headerLength));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"safetensors file '{source}' has an invalid JSON header: {exception.Message}", exception);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"safetensors file '{source}' has a header that is not a JSON object");
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
            var ranges = new List<(long Begin, long End, string Name)>();
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == MetadataKey)
                {
                    ReadMetadata(property.Value, metadata, source);
                    continue;
                }

                (CheckpointTensor tensor, long begin, long end) = ReadTensor(property, data, source);
                tensors[property.Name] = tensor;
                ranges.Add((begin, end, property.Name));
            }

            CheckOverlaps(ranges, source);
            return new SafetensorsFile(tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"safetensors file '{source}': {MetadataKey} is not a JSON object");
        }

        foreach (JsonProperty entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new InvalidDataException(
                    $"safetensors file '{source}': {MetadataKey} entry '{entry.Name}' is a {entry.Value.ValueKind}, not a string");
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static (CheckpointTensor Tensor, long Begin, long End) ReadTensor(
        JsonProperty property,
        ReadOnlySpan<byte> data,
        string source)
    {
        string name = property.Name;
        JsonElement entry = property.Value;
        if (entry.ValueKind != JsonValueKind.Object
            || !entry.TryGetProperty("dtype", out JsonElement dtypeElement)
            || dtypeElement.ValueKind != JsonValueKind.String
            || !entry.TryGetProperty("shape", out JsonElement shapeElement)
            || shapeElement.ValueKind != JsonValueKind.Array
            || !entry.TryGetProperty("data_offsets", out JsonElement offsetsElement)
            || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new InvalidDataException(
                $"safetensors file '{source}': tensor '{name}' needs a string dtype, a shape array and two data_offsets");
        }

        string code = dtypeElement.GetString()!;
        TensorDataType dataType = TensorDataType.FromSafetensorsCode(code) ?? throw new InvalidDataException(
            $"safetensors file '{source}': tensor '{name}' has dtype {code}, which is not supported "
            + $"(supported: {TensorDataType.SupportedNames}); convert it to F32");

        long[] shape = shapeElement.EnumerateArray().Select(value => ReadNonNegative(value, name, "shape", source)).ToArray();
        long begin = ReadNonNegative(offsetsElement[0], name, "data_offsets", source);
        long end = ReadNonNegative(offsetsElement[1], name, "data_offsets", source);
        long expectedBytes = checked(CheckpointTensor.ElementCount(shape) * dataType.ElementSize);
        if (begin > end || end > data.Length)
        {
            throw new InvalidDataException(
                $"safetensors file '{source}': tensor '{name}' has data_offsets [{begin}, {end}] outside the "
                + $"{data.Length}-byte data section; the file is truncated or damaged");
        }

        if (end - begin != expectedBytes)
        {
            throw new InvalidDataException(
                $"safetensors file '{source}': tensor '{name}' has {end - begin} bytes, expected {expectedBytes} for "
                + $"shape {CheckpointTensor.FormatShape(shape)} in {code}");
        }

        float[] values = dataType.ToFloats(data.Slice((int)begin, (int)(end - begin)));
        return (new CheckpointTensor(name, shape, values, dataType.Name), begin, end);
    }

    private static long ReadNonNegative(JsonElement value, string name, string field, string source)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number) || number < 0)
        {
            throw new InvalidDataException(
                $"safetensors file '{source}': tensor '{name}' has {field} value {value.GetRawText()}, not a non-negative integer");
        }

        return number;
    }

    private static void CheckOverlaps(List<(long Begin, long End, string Name)> ranges, string source)
    {
        ranges.Sort((left, right) => left.Begin.CompareTo(right.Begin));
        for (int i = 1; i < ranges.Count; i++)
        {
            if (ranges[i].Begin < ranges[i - 1].End)
            {
                throw new InvalidDataException(
                    $"safetensors file '{source}': tensors '{ranges[i - 1].Name}' and '{ranges[i].Name}' have overlapping data_offsets");
            }
        }
    }
}
