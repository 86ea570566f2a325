using System.Buffers.Binary;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>Finds the fmt and data chunks of a Sony Wave64 (.w64) file.</summary>
/// <remarks>
/// Wave64 is RIFF with 16-byte GUIDs in place of the four-character ids and 64-bit sizes. The
/// file starts with the 'riff' GUID, the file size and the 'wave' GUID (40 bytes). Each chunk
/// has a GUID and a size that counts its own 24-byte header, and the next chunk starts at the
/// following multiple of 8 bytes. The fmt chunk body is the same WAVEFORMATEX as in RIFF.
/// </remarks>
internal static class Wave64
{
    private const int FileHeaderBytes = 40;
    private const int ChunkHeaderBytes = 24;

    // GUIDs in their on-disk byte order.
    private static readonly byte[] RiffGuid =
        [0x72, 0x69, 0x66, 0x66, 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00];

    private static readonly byte[] WaveGuid = ChunkGuid("wave"u8);
    private static readonly byte[] FmtGuid = ChunkGuid("fmt "u8);
    private static readonly byte[] DataGuid = ChunkGuid("data"u8);

    /// <summary>Returns whether the bytes start with the Wave64 'riff' GUID.</summary>
    public static bool IsWave64(ReadOnlySpan<byte> data) => data.StartsWith(RiffGuid);

    /// <summary>Reads the chunks up to the start of the data chunk.</summary>
    /// <param name="data">The whole file, starting with the 'riff' GUID.</param>
    /// <param name="warnings">Receives a warning when the data chunk is longer than the file.</param>
    /// <exception cref="MediaException">Stage "decode": the file is damaged, or its fmt or data
    /// chunk is missing.</exception>
    public static WavLayout Read(ReadOnlySpan<byte> data, List<string> warnings)
    {
        if (data.Length < FileHeaderBytes)
        {
            throw Error($"Wave64 file is {data.Length} bytes, shorter than its {FileHeaderBytes}-byte header: " +
                "the file is damaged or truncated");
        }

        if (!data.Slice(24, 16).SequenceEqual(WaveGuid))
        {
            throw Error($"Wave64 file has form type {new Guid(data.Slice(24, 16))}, not 'wave': " +
                "it holds no audio that this decoder reads");
        }

        WavFormat? format = null;
        long offset = FileHeaderBytes;
        while (offset + ChunkHeaderBytes <= data.Length)
        {
            var id = data.Slice((int)offset, 16);
            ulong size = BinaryPrimitives.ReadUInt64LittleEndian(data[((int)offset + 16)..]);
            if (size < ChunkHeaderBytes)
            {
                throw Error($"Wave64 chunk {new Guid(id)} at byte {offset} declares {size} bytes, " +
                    $"less than its {ChunkHeaderBytes}-byte header: the file is damaged");
            }

            long body = offset + ChunkHeaderBytes;
            long available = data.Length - body;
            ulong length = size - ChunkHeaderBytes;

            if (id.SequenceEqual(DataGuid))
            {
                if (format is null)
                {
                    throw Error("Wave64 data chunk comes before any fmt chunk: the file is damaged");
                }

                if (length > (ulong)available)
                {
                    warnings.Add($"Wave64 data chunk declares {length} bytes but {available} follow; decoded those");
                    return new WavLayout(format, body, available);
                }

                return new WavLayout(format, body, (long)length);
            }

            if (length > (ulong)available)
            {
                break;
            }

            if (id.SequenceEqual(FmtGuid))
            {
                format = WavFormat.Parse(data.Slice((int)body, (int)length), bigEndian: false);
            }

            offset = (body + (long)length + 7) & ~7L;
        }

        throw Error(format is null
            ? "Wave64 file has no fmt chunk: the file is damaged or truncated"
            : "Wave64 file has no data chunk, so it has no samples");
    }

    // The GUID of a chunk with a four-character id: the id, then ACF3-11D3-8CD1-00C04F8EDB8A.
    private static byte[] ChunkGuid(ReadOnlySpan<byte> id) =>
        [.. id, 0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A];

    private static MediaException Error(string message) => new(WavDecoder.Stage, message);
}
