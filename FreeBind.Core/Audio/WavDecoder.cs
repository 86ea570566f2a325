using System.Buffers.Binary;
using System.Text;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>
/// Decodes RIFF and RF64 WAV files to mono float samples: PCM 8 (unsigned), 16, 24 and 32-bit,
/// IEEE float 32 and 64-bit, G.711 A-law and mu-law, and WAVE_FORMAT_EXTENSIBLE with a PCM or
/// float subformat, with any channel count.
/// </summary>
/// <remarks>
/// A parser of our own, not NAudio's WaveFileReader. It decodes straight from the bytes to
/// mono without a per-channel buffer. It accepts the data-chunk sizes that streaming writers
/// leave behind (0, 0xFFFFFFFF, larger than the file) and an odd-sized chunk without its pad
/// byte, and every error names the value. Integer samples are scaled as torchaudio does:
/// divided by 2^(bits-1) of the container, with 8-bit samples centred on 128.
/// </remarks>
public static class WavDecoder
{
    private const string Stage = "decode";
    private const ushort TagPcm = 0x0001;
    private const ushort TagFloat = 0x0003;
    private const ushort TagALaw = 0x0006;
    private const ushort TagMuLaw = 0x0007;
    private const ushort TagExtensible = 0xFFFE;

    // Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID that wraps a classic format tag.
    private static readonly byte[] SubformatGuidTail =
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    // Chunk ids that WAV writers commonly emit, used to tell a pad byte from a missing one.
    private static readonly HashSet<string> WellKnownChunkIds =
        ["data", "fmt ", "fact", "LIST", "JUNK", "PAD ", "bext", "ds64", "cue ", "smpl", "inst", "id3 ", "ID3 ", "iXML"];

    private static readonly Dictionary<ushort, string> KnownTags = new()
    {
        [0x0002] = "MS ADPCM",
        [0x0011] = "IMA ADPCM",
        [0x0031] = "GSM 6.10",
        [0x0040] = "G.721 ADPCM",
        [0x0050] = "MPEG",
        [0x0055] = "MPEG Layer 3",
        [0x0092] = "Dolby AC-3 SPDIF",
        [0x0161] = "Windows Media Audio",
        [0x0162] = "Windows Media Audio Pro",
        [0x2000] = "Dolby AC-3",
        [0xF1AC] = "FLAC",
    };

    /// <summary>Decodes one WAV file.</summary>
    /// <param name="data">The whole file.</param>
    /// <param name="maxSeconds">Longest accepted duration; longer files are rejected before decoding.</param>
    /// <param name="mix">How channels become one.</param>
    /// <returns>Mono samples at the file's own sample rate.</returns>
    /// <exception cref="MediaException">Stage "decode": the bytes are not a WAV file, use an
    /// unsupported encoding, hold no samples, hold NaN or infinite samples, or are too long.</exception>
    public static DecodedAudio Decode(
        ReadOnlySpan<byte> data,
        double maxSeconds = double.PositiveInfinity,
        ChannelMix mix = ChannelMix.Average)
    {
        var warnings = new List<string>();
        var layout = ReadLayout(data, warnings);
        var format = layout.Format;

        long frames = layout.DataLength / format.BlockAlign;
        long partial = layout.DataLength % format.BlockAlign;
        if (partial != 0)
        {
            warnings.Add($"data chunk ends with a partial frame of {partial} bytes, ignored");
        }

        if (frames == 0)
        {
            throw new MediaException(Stage,
                $"WAV file has no samples (data chunk of {layout.DataLength} bytes, {format.BlockAlign} bytes per frame)");
        }

        double seconds = (double)frames / format.SampleRate;
        if (seconds > maxSeconds)
        {
            throw new MediaException(Stage,
                $"recording is {seconds:0.###} s long, more than the maximum of {maxSeconds} s: " +
                "cut it or raise MaxSeconds");
        }

        var pcm = data.Slice(checked((int)layout.DataOffset), checked((int)(frames * format.BlockAlign)));
        var samples = new float[frames];
        long nonFinite = DecodeSamples(pcm, format, mix, samples);
        if (nonFinite > 0)
        {
            throw new MediaException(Stage,
                $"WAV file contains {nonFinite} NaN or infinite samples in {format.Describe()} data: " +
                "repair or re-export the file");
        }

        return new DecodedAudio(format.SampleRate, format.Channels, samples, format.Describe(), warnings);
    }

    private static WavLayout ReadLayout(ReadOnlySpan<byte> data, List<string> warnings)
    {
        if (data.Length < 12)
        {
            throw NotWav(data, $"only {data.Length} bytes");
        }

        string riffId = Encoding.ASCII.GetString(data[..4]);
        if (riffId == "RIFX")
        {
            throw new MediaException(Stage,
                "big-endian RIFX WAV is not supported: convert it to a little-endian RIFF WAV");
        }

        bool rf64 = riffId is "RF64" or "BW64";
        if ((riffId != "RIFF" && !rf64) || !data.Slice(8, 4).SequenceEqual("WAVE"u8))
        {
            throw NotWav(data, "no RIFF/RF64 header with form type WAVE");
        }

        uint riffSize = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        WavFormat? format = null;
        long ds64DataSize = -1;
        long offset = 12;
        while (offset + 8 <= data.Length)
        {
            var id = data.Slice((int)offset, 4);
            uint size = BinaryPrimitives.ReadUInt32LittleEndian(data[((int)offset + 4)..]);
            long body = offset + 8;
            long available = data.Length - body;

            if (id.SequenceEqual("data"u8))
            {
                if (format is null)
                {
                    throw new MediaException(Stage,
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
                format = ReadFormat(data.Slice((int)body, (int)size));
            }
            else if (id.SequenceEqual("ds64"u8) && size >= 16)
            {
                ds64DataSize = BinaryPrimitives.ReadInt64LittleEndian(data[((int)body + 8)..]);
            }

            offset = NextChunkOffset(data, id, size, body + size, warnings);
        }

        throw new MediaException(Stage, format is null
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

    private static WavFormat ReadFormat(ReadOnlySpan<byte> fmt)
    {
        if (fmt.Length < 16)
        {
            throw new MediaException(Stage,
                $"WAV fmt chunk is {fmt.Length} bytes, shorter than the 16 it needs: the file is damaged");
        }

        ushort tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
        int channels = BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]);
        uint sampleRate = BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]);
        int blockAlign = BinaryPrimitives.ReadUInt16LittleEndian(fmt[12..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]);
        bool extensible = false;

        if (tag == TagExtensible)
        {
            if (fmt.Length < 40)
            {
                throw new MediaException(Stage,
                    $"WAV fmt chunk is WAVE_FORMAT_EXTENSIBLE but only {fmt.Length} bytes long, not 40: the file is damaged");
            }

            var guid = fmt.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubformatGuidTail))
            {
                throw new MediaException(Stage,
                    $"WAV WAVE_FORMAT_EXTENSIBLE subformat {new Guid(guid)} is not supported: convert to PCM or float WAV");
            }

            tag = BinaryPrimitives.ReadUInt16LittleEndian(guid);
            extensible = true;
        }

        if (channels == 0)
        {
            throw new MediaException(Stage, "WAV fmt chunk declares 0 channels: the file is damaged");
        }

        if (sampleRate == 0 || sampleRate > int.MaxValue)
        {
            throw new MediaException(Stage, $"WAV fmt chunk declares a sample rate of {sampleRate} Hz: the file is damaged");
        }

        // Trust blockAlign for the container size, as players do. Fall back to the bit depth
        // when a writer left blockAlign inconsistent with the channel count.
        int container = blockAlign >= channels && blockAlign % channels == 0 ? blockAlign / channels : (bits + 7) / 8;
        var encoding = Classify(tag, container, bits);
        return new WavFormat(encoding, channels, (int)sampleRate, container * channels, container, bits, extensible);
    }

    private static SampleEncoding Classify(ushort tag, int container, int bits)
    {
        switch (tag)
        {
            case TagPcm when container is >= 1 and <= 4 && bits <= container * 8:
                return container switch
                {
                    1 => SampleEncoding.UInt8,
                    2 => SampleEncoding.Int16,
                    3 => SampleEncoding.Int24,
                    _ => SampleEncoding.Int32,
                };
            case TagPcm:
                throw new MediaException(Stage,
                    $"WAV PCM with {bits} bits in {container}-byte containers is not supported: convert to 16-bit PCM or float WAV");
            case TagFloat when container == 4:
                return SampleEncoding.Float32;
            case TagFloat when container == 8:
                return SampleEncoding.Float64;
            case TagFloat:
                throw new MediaException(Stage,
                    $"WAV IEEE float with {container}-byte samples is not supported: convert to 32-bit float WAV");
            case TagALaw when container == 1:
                return SampleEncoding.ALaw;
            case TagMuLaw when container == 1:
                return SampleEncoding.MuLaw;
            default:
                string name = tag switch
                {
                    TagALaw => $"A-law with {container}-byte samples",
                    TagMuLaw => $"mu-law with {container}-byte samples",
                    _ => KnownTags.GetValueOrDefault(tag, "unknown encoding"),
                };
                throw new MediaException(Stage,
                    $"WAV format tag 0x{tag:X4} ({name}) is not supported: convert to PCM or float WAV");
        }
    }

    private static long DecodeSamples(ReadOnlySpan<byte> pcm, WavFormat format, ChannelMix mix, float[] output)
    {
        if (format.Encoding == SampleEncoding.Int16 && (format.Channels == 1 || mix == ChannelMix.Average))
        {
            DecodeInt16(pcm, format.Channels, output);
            return 0;
        }

        int channels = mix == ChannelMix.First ? 1 : format.Channels;
        double scale = 1.0 / channels;
        int width = format.ContainerBytes;
        long nonFinite = 0;

        for (int frame = 0; frame < output.Length; frame++)
        {
            var frameBytes = pcm.Slice(frame * format.BlockAlign, format.BlockAlign);
            double sum = 0;
            for (int channel = 0; channel < channels; channel++)
            {
                sum += ReadSample(frameBytes.Slice(channel * width, width), format.Encoding);
            }

            if (mix == ChannelMix.First && format.Channels > 1 && format.Encoding is SampleEncoding.Float32 or SampleEncoding.Float64)
            {
                // NaN in an ignored channel still marks the file as damaged.
                for (int channel = 1; channel < format.Channels; channel++)
                {
                    sum += 0 * ReadSample(frameBytes.Slice(channel * width, width), format.Encoding);
                }
            }

            if (!double.IsFinite(sum))
            {
                nonFinite++;
            }

            output[frame] = (float)(sum * scale);
        }

        return nonFinite;
    }

    // Fast path for the most common file type: 16-bit PCM, averaged over its channels.
    private static void DecodeInt16(ReadOnlySpan<byte> pcm, int channels, float[] output)
    {
        var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(pcm);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("The 16-bit PCM fast path needs a little-endian CPU.");
        }

        double scale = 1.0 / (32768.0 * channels);
        for (int frame = 0, i = 0; frame < output.Length; frame++)
        {
            int sum = 0;
            for (int channel = 0; channel < channels; channel++, i++)
            {
                sum += values[i];
            }

            output[frame] = (float)(sum * scale);
        }
    }

    private static double ReadSample(ReadOnlySpan<byte> bytes, SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.UInt8 => (bytes[0] - 128) / 128.0,
        SampleEncoding.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768.0,
        SampleEncoding.Int24 => (bytes[0] | (bytes[1] << 8) | ((sbyte)bytes[2] << 16)) / 8388608.0,
        SampleEncoding.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0,
        SampleEncoding.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
        SampleEncoding.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
        SampleEncoding.ALaw => G711.DecodeALaw(bytes[0]) / 32768.0,
        SampleEncoding.MuLaw => G711.DecodeMuLaw(bytes[0]) / 32768.0,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Unknown sample encoding."),
    };

    private static MediaException NotWav(ReadOnlySpan<byte> data, string reason)
    {
        if (data.IsEmpty)
        {
            return new MediaException(Stage, "audio file is empty (0 bytes): write or download it again");
        }

        var head = data[..Math.Min(data.Length, 8)];
        string hex = Convert.ToHexString(head);
        var ascii = new StringBuilder();
        foreach (byte b in head)
        {
            ascii.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        }

        string? format = OtherAudioFormat(data);
        return new MediaException(Stage, format is null
            ? $"not a WAV file ({reason}): first bytes are {hex} (\"{ascii}\"); convert the audio to WAV"
            : $"{format} audio is not supported, only WAV (first bytes {hex}): convert the audio to WAV");
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

        if (data.StartsWith("riff"u8))
        {
            return "Sony Wave64";
        }

        return null;
    }

    private enum SampleEncoding
    {
        UInt8,
        Int16,
        Int24,
        Int32,
        Float32,
        Float64,
        ALaw,
        MuLaw,
    }

    private sealed record WavFormat(
        SampleEncoding Encoding, int Channels, int SampleRate, int BlockAlign, int ContainerBytes, int Bits, bool Extensible)
    {
        public string Describe()
        {
            string kind = Encoding switch
            {
                SampleEncoding.Float32 or SampleEncoding.Float64 => $"IEEE float {ContainerBytes * 8}-bit",
                SampleEncoding.ALaw => "A-law",
                SampleEncoding.MuLaw => "mu-law",
                _ => $"PCM {Bits}-bit",
            };
            return Extensible ? kind + " (extensible)" : kind;
        }
    }

    private sealed record WavLayout(WavFormat Format, long DataOffset, long DataLength);
}
