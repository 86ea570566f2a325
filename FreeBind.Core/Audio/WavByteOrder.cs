using System.Buffers.Binary;

namespace FreeBind.Audio;

/// <summary>Reads the integers of WAV headers in the byte order of their container.</summary>
/// <remarks>RIFF, RF64 and Sony Wave64 are little-endian. RIFX stores every header field and
/// sample big-endian.</remarks>
internal static class WavByteOrder
{
    public static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt16BigEndian(bytes)
        : BinaryPrimitives.ReadUInt16LittleEndian(bytes);

    public static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) => bigEndian
        ? BinaryPrimitives.ReadUInt32BigEndian(bytes)
        : BinaryPrimitives.ReadUInt32LittleEndian(bytes);
}
