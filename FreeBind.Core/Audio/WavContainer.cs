using System.Buffers.Binary;
using System.Text;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>
/// Finds the fmt and data chunks of a RIFF, RIFX (big-endian), RF64, BW64 or Sony Wave64 file.
/// </summary>
internal static class WavContainer
{
    // Chunk ids that WAV writers commonly emit, used to tell a pad byte from a missing one.
    private static readonly HashSet<string> WellKnownChunkIds =
        ["data", "fmt ", "fact", "LIST", "JUNK", "PAD ", "bext", "ds64", "cue ", "smpl", "inst", "id3 ", "ID3 ", "iXML"];

    /// <summary>Reads the container up to the start of the data chunk.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="warnings">Receives non-fatal findings, such as a streaming data-chunk size.</param>
    /// <exception cref="MediaException">Stage "decode": the bytes are not a supported WAV
    /// container, or its fmt or data chunk is missing or damaged.</exception>
    public static WavLayout Read(ReadOnlySpan<byte> data, List<string> warnings)
    {
        if (Wave64.IsWave64(data))
        {
            return Wave64.Read(data, warnings);
        }

        if (data.Length < 12)
        {
            throw NotWav(data, $"only {data.Length} bytes");
        }

        string riffId = Encoding.ASCII.GetString(data[..4]);
        bool rf64 = riffId is "RF64" or "BW64";
        bool bigEndian = riffId == "RIFX";
        if ((riffId != "RIFF" && !rf64 && !bigEndian) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw NotWav(data, "no RIFF, RIFX, RF64 or Wave64 header with form type WAVE");
        }

        return ReadRiffChunks(data, rf64, bigEndian, warnings);
    }

    /// <summary>Builds the error for bytes that are not a WAV file, naming another audio format
    /// when the first bytes show one.</summary>
    public static MediaException NotWav(ReadOnlySpan<byte> data, string reason)
    {
        if (data.IsEmpty)
        {
            return new MediaException(WavDecoder.Stage, "audio file is empty (0 bytes): write or download it again");
        }

        var head = data[..Math.Min(data.Length, 8)];
        string hex = Convert.ToHexString(head);
        var ascii = new StringBuilder();
        foreach (byte b in head)
        {
            ascii.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        string? format = OtherAudioFormat(data);
        return new MediaException(WavDecoder.Stage, format is null
            ? $"not a WAV file ({reason}): first bytes are {hex} (\"{ascii}\"); convert the audio to WAV"
            : $"{format} audio is not supported, only WAV (first bytes {hex}): convert the audio to WAV");
    }

    private static WavLayout ReadRiffChunks(ReadOnlySpan<byte> data, bool rf64, bool bigEndian, List<string> warnings)
    {
        uint riffSize = WavByteOrder.ReadUInt32(data[4..], bigEndian);
        WavFormat? format = null;
        long ds64DataSize = -1;
        long offset = 12;
        while (offset + 8 <= data.Length)
        {
            var id = data.Slice((int)offset, 4);
            uint size = WavByteOrder.ReadUInt32(data[((int)offset + 4)..], bigEndian);
            long body = offset + 8;
            long available = data.Length - body;

            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new MediaException(WavDecoder.Stage,
                        "WAV data chunk comes before any fmt chunk: the file is damaged or not a WAV file");
                }

                long length = DataLength(size, rf64, ds64DataSize, riffSize, body, available, warnings);
                return new WavLayout(format, body, length);
            }

            if (size > available)
            {
                break;
            }

            if (id.SequenceEqual("fmt "u8))
            {
                format = WavFormat.Parse(data.Slice((int)body, (int)size), bigEndian);
            }
            else if (rf64 && id.SequenceEqual("ds64"u8) && size >= 16)
            {
                ds64DataSize = BinaryPrimitives.ReadInt64LittleEndian(data[((int)body + 8)..]);
            }

            offset = NextChunkOffset(data, id, size, body + size, warnings);
        }

        throw new MediaException(WavDecoder.Stage, format is null
            ? "WAV file has no fmt chunk: the file is damaged or truncated"
            : "WAV file has no data chunk, so it has no samples");
    }

    // Chunks are padded to an even length with a zero byte, and a missing pad byte at the end
    // is harmless. Some writers omit the pad byte before the next chunk too, so the next chunk
    // starts where the pad byte should be. That offset is used only when its byte is not zero,
    // a chunk id starts there, and no well-known chunk id starts one byte later.
    private static long NextChunkOffset(
        ReadOnlySpan<byte> data, ReadOnlySpan<byte> id, uint size, long end, List<string> warnings)
    {
        if ((size & 1) == 0)
        {
            return end;
        }

        bool padMissing = end < data.Length && data[(int)end] != 0
            && IsChunkId(data, end) && !IsWellKnownChunkId(data, end + 1);
        if (!padMissing)
        {
            return end + 1;
        }

        warnings.Add(
            $"chunk '{Encoding.ASCII.GetString(id)}' has an odd size of {size} bytes and no pad byte; " +
            $"read the next chunk from byte {end}");
        return end;
    }

    // A chunk id is four printable ASCII characters.
    private static bool IsChunkId(ReadOnlySpan<byte> data, long offset) =>
        offset + 4 <= data.Length && !data.Slice((int)offset, 4).ContainsAnyExceptInRange((byte)0x20, (byte)0x7E);

    private static bool IsWellKnownChunkId(ReadOnlySpan<byte> data, long offset)
    {
        if (offset + 4 > data.Length)
        {
            return false;
        }

        string id = Encoding.ASCII.GetString(data.Slice((int)offset, 4));
        return WellKnownChunkIds.Contains(id);
    }

    private static long DataLength(
        uint size, bool rf64, long ds64DataSize, uint riffSize, long body, long available,
        List<string> warnings)
    {
        if (rf64 && size == uint.MaxValue && ds64DataSize >= 0)
        {
            if (ds64DataSize <= available)
            {
                return ds64DataSize;
            }

            warnings.Add($"ds64 declares {ds64DataSize} data bytes but {available} follow; decoded those");
            return available;
        }

        if (size == uint.MaxValue)
        {
            warnings.Add($"data chunk size is 0xFFFFFFFF (streaming writer); decoded the {available} bytes present");
            return available;
        }

        // A zero size with bytes after it is a streaming writer's placeholder when the RIFF size
        // does not cover those bytes either. Otherwise the chunk is genuinely empty.
        bool riffSizeIsPlaceholder = riffSize == 0 || riffSize == uint.MaxValue || riffSize + 8L <= body;
        if (size == 0 && available > 0 && riffSizeIsPlaceholder)
        {
            warnings.Add($"data chunk size is 0 (streaming writer); decoded the {available} bytes present");
            return available;
        }

        if (size > available)
        {
            warnings.Add($"data chunk declares {size} bytes but {available} follow; decoded those");
            return available;
        }

        return size;
    }

    /// <summary>Names a common non-WAV audio container from its first bytes, or returns null.</summary>
    private static string? OtherAudioFormat(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith("fLaC"u8))
        {
            return "FLAC";
        }

        if (data.StartsWith("OggS"u8))
        {
            return "Ogg";
        }

        // An ID3v2 tag, or an MPEG audio frame sync (11 set bits) of layer III, II or I.
        if (data.StartsWith("ID3"u8) || (data.Length >= 2 && data[0] == 0xFF && (data[1] & 0xE0) == 0xE0 && (data[1] & 0x06) != 0))
        {
            return "MPEG (MP3)";
        }

        if (data.Length >= 12 && data[4..8].SequenceEqual("ftyp"u8))
        {
            return "MP4/M4A";
        }

        if (data.StartsWith("FORM"u8) && data.Length >= 12 && (data[8..12].SequenceEqual("AIFF"u8) || data[8..12].SequenceEqual("AIFC"u8)))
        {
            return "AIFF";
        }

        return null;
    }
}
