using System.Buffers.Binary;

namespace FreeBind.Bonds.Checkpoints;

/// <summary>An element type that checkpoint readers convert to float32, with its names in each format.</summary>
/// <param name="Name">PyTorch dtype name, such as float32 or bfloat16.</param>
/// <param name="TorchStorage">Storage class name in torch.save pickles, such as FloatStorage.</param>
/// <param name="SafetensorsCode">dtype code in safetensors headers, such as F32.</param>
/// <param name="ElementSize">Bytes per element.</param>
internal sealed record TensorDataType(string Name, string TorchStorage, string SafetensorsCode, int ElementSize)
{
    public static readonly TensorDataType Float32 = new("float32", "FloatStorage", "F32", 4);

    private static readonly TensorDataType[] All =
    [
        Float32,
        new("float16", "HalfStorage", "F16", 2),
        new("bfloat16", "BFloat16Storage", "BF16", 2),
        new("float64", "DoubleStorage", "F64", 8),
        new("int64", "LongStorage", "I64", 8),
        new("int32", "IntStorage", "I32", 4),
        new("int16", "ShortStorage", "I16", 2),
        new("int8", "CharStorage", "I8", 1),
        new("uint8", "ByteStorage", "U8", 1),
        new("bool", "BoolStorage", "BOOL", 1),
    ];

    /// <summary>Names of the supported types, for messages.</summary>
    public static string SupportedNames => string.Join(", ", All.Select(type => type.Name));

    public static TensorDataType? FromTorchStorage(string storageName)
        => All.FirstOrDefault(type => type.TorchStorage == storageName);

    public static TensorDataType? FromSafetensorsCode(string code)
        => All.FirstOrDefault(type => type.SafetensorsCode == code);

    /// <summary>Converts little-endian elements to float32.</summary>
    public float[] ToFloats(ReadOnlySpan<byte> bytes)
    {
        int count = bytes.Length / ElementSize;
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            ReadOnlySpan<byte> element = bytes.Slice(i * ElementSize, ElementSize);
            values[i] = Name switch
            {
                "float32" => BinaryPrimitives.ReadSingleLittleEndian(element),
                "float16" => (float)BinaryPrimitives.ReadHalfLittleEndian(element),
                // bfloat16 is the upper half of a float32.
                "bfloat16" => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(element) << 16),
                "float64" => (float)BinaryPrimitives.ReadDoubleLittleEndian(element),
                "int64" => BinaryPrimitives.ReadInt64LittleEndian(element),
                "int32" => BinaryPrimitives.ReadInt32LittleEndian(element),
                "int16" => BinaryPrimitives.ReadInt16LittleEndian(element),
                "int8" => (sbyte)element[0],
                "uint8" => element[0],
                "bool" => element[0] != 0 ? 1 : 0,
                _ => throw new InvalidOperationException($"no conversion for element type {Name}"),
            };
        }

        return values;
    }
}
