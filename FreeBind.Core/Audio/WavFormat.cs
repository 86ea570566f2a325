using System.Buffers.Binary;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>The parts of a WAV fmt chunk that decoding needs.</summary>
/// <param name="Encoding">Sample encoding.</param>
/// <param name="Channels">Channel count, at least 1 (1 or 2 for ADPCM).</param>
/// <param name="SampleRate">Sample rate in Hz.</param>
/// <param name="BlockAlign">Bytes per frame for PCM, bytes per block for ADPCM.</param>
/// <param name="ContainerBytes">Bytes per sample of one channel for PCM; 0 for ADPCM.</param>
/// <param name="Bits">Bits per sample as the fmt chunk declares them.</param>
/// <param name="Extensible">Whether the fmt chunk is WAVE_FORMAT_EXTENSIBLE.</param>
/// <param name="BigEndian">Whether samples are big-endian (a RIFX file).</param>
internal sealed record WavFormat(
    WavSampleEncoding Encoding,
    int Channels,
    int SampleRate,
    int BlockAlign,
    int ContainerBytes,
    int Bits,
    bool Extensible,
    bool BigEndian)
{
    private const ushort TagPcm = 0x0001;
    private const ushort TagMsAdpcm = 0x0002;
    private const ushort TagFloat = 0x0003;
    private const ushort TagALaw = 0x0006;
    private const ushort TagMuLaw = 0x0007;
    private const ushort TagImaAdpcm = 0x0011;
    private const ushort TagExtensible = 0xFFFE;

    // Bytes 2..15 of every KSDATAFORMAT_SUBTYPE GUID that wraps a classic format tag.
    private static readonly byte[] SubformatGuidTail =
        [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];

    private static readonly Dictionary<ushort, string> KnownTags = new()
    {
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

    /// <summary>Samples per channel in one full ADPCM block, or 0 for PCM.</summary>
    public int SamplesPerBlock { get; init; }

    /// <summary>MS ADPCM coefficient pairs with coef1 and coef2 interleaved, or empty for other encodings.</summary>
    public short[] Coefficients { get; init; } = [];

    /// <summary>Whether samples come in ADPCM blocks rather than fixed-size frames.</summary>
    public bool IsAdpcm => Encoding is WavSampleEncoding.ImaAdpcm or WavSampleEncoding.MsAdpcm;

    /// <summary>Names the encoding for <see cref="DecodedAudio.Encoding"/>, such as "PCM 24-bit big-endian".</summary>
    public string Describe()
    {
        string kind = Encoding switch
        {
            WavSampleEncoding.Float32 or WavSampleEncoding.Float64 => $"IEEE float {ContainerBytes * 8}-bit",
            WavSampleEncoding.ALaw => "A-law",
            WavSampleEncoding.MuLaw => "mu-law",
            WavSampleEncoding.ImaAdpcm => "IMA ADPCM",
            WavSampleEncoding.MsAdpcm => "MS ADPCM",
            _ => $"PCM {Bits}-bit",
        };
        if (BigEndian && ContainerBytes > 1)
        {
            kind += " big-endian";
        }

        return Extensible ? kind + " (extensible)" : kind;
    }

    /// <summary>Parses the body of a fmt chunk.</summary>
    /// <param name="fmt">The chunk body.</param>
    /// <param name="bigEndian">Whether the fields are big-endian, as in a RIFX file.</param>
    /// <exception cref="MediaException">Stage "decode": the chunk is damaged or declares an
    /// encoding that is not supported.</exception>
    public static WavFormat Parse(ReadOnlySpan<byte> fmt, bool bigEndian)
    {
        if (fmt.Length < 16)
        {
            throw Error($"WAV fmt chunk is {fmt.Length} bytes, shorter than the 16 it needs: the file is damaged");
        }

        ushort tag = WavByteOrder.ReadUInt16(fmt, bigEndian);
        int channels = WavByteOrder.ReadUInt16(fmt[2..], bigEndian);
        uint sampleRate = WavByteOrder.ReadUInt32(fmt[4..], bigEndian);
        int blockAlign = WavByteOrder.ReadUInt16(fmt[12..], bigEndian);
        int bits = WavByteOrder.ReadUInt16(fmt[14..], bigEndian);
        bool extensible = false;

        if (tag == TagExtensible)
        {
            if (fmt.Length < 40)
            {
                throw Error(
                    $"WAV fmt chunk is WAVE_FORMAT_EXTENSIBLE but only {fmt.Length} bytes long, not 40: " +
                    "the file is damaged");
            }

            // sox writes the tag at the start of a RIFX subformat GUID big-endian and the other
            // 14 bytes as in a RIFF file, so the tag is read in the file's byte order.
            var guid = fmt.Slice(24, 16);
            if (!guid[2..].SequenceEqual(SubformatGuidTail))
            {
                throw Error(
                    $"WAV WAVE_FORMAT_EXTENSIBLE subformat {new Guid(guid)} is not supported: " +
                    "convert to PCM or float WAV");
            }

            tag = WavByteOrder.ReadUInt16(guid, bigEndian);
            extensible = true;
        }

        if (channels == 0)
        {
            throw Error("WAV fmt chunk declares 0 channels: the file is damaged");
        }

        if (sampleRate == 0 || sampleRate > int.MaxValue)
        {
            throw Error($"WAV fmt chunk declares a sample rate of {sampleRate} Hz: the file is damaged");
        }

        if (tag is TagImaAdpcm or TagMsAdpcm && !extensible)
        {
            return ParseAdpcm(fmt, tag, channels, (int)sampleRate, blockAlign, bits, bigEndian);
        }

        // blockAlign gives the container size of a sample. The bit depth gives it instead when a
        // writer left blockAlign inconsistent with the channel count.
        int container = blockAlign >= channels && blockAlign % channels == 0 ? blockAlign / channels : (bits + 7) / 8;
        var encoding = Classify(tag, container, bits);
        return new WavFormat(
            encoding, channels, (int)sampleRate, container * channels, container, bits, extensible, bigEndian);
    }

    private static WavFormat ParseAdpcm(
        ReadOnlySpan<byte> fmt, ushort tag, int channels, int sampleRate, int blockAlign, int bits, bool bigEndian)
    {
        bool ima = tag == TagImaAdpcm;
        string name = ima ? "IMA ADPCM" : "MS ADPCM";
        if (bigEndian)
        {
            throw Error(
                $"WAV {name} in a big-endian RIFX file is not supported: convert it to a little-endian RIFF WAV");
        }

        if (bits != 4)
        {
            throw Error($"WAV {name} with {bits} bits per sample is not supported: only 4-bit {name} is decoded");
        }

        if (channels > 2)
        {
            throw Error(
                $"WAV {name} with {channels} channels is not supported: only mono and stereo {name} are decoded");
        }

        int headerBytes = (ima ? ImaAdpcm.HeaderBytesPerChannel : MsAdpcm.HeaderBytesPerChannel) * channels;
        if (blockAlign < headerBytes)
        {
            throw Error(
                $"WAV {name} fmt chunk declares a block align of {blockAlign} bytes, smaller than the " +
                $"{headerBytes}-byte block header: the file is damaged");
        }

        // The extension after the 18-byte WAVEFORMATEX: samples per block, then for MS ADPCM the
        // coefficient count and the coefficient pairs.
        var extension = ReadOnlySpan<byte>.Empty;
        if (fmt.Length >= 18)
        {
            int declaredBytes = BinaryPrimitives.ReadUInt16LittleEndian(fmt[16..]);
            extension = fmt.Slice(18, Math.Min(declaredBytes, fmt.Length - 18));
        }

        int capacity = ima ? ImaAdpcm.FramesIn(blockAlign, channels) : MsAdpcm.FramesIn(blockAlign, channels);
        int declared = extension.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(extension) : 0;
        if (declared > capacity)
        {
            throw Error(
                $"WAV {name} fmt chunk declares {declared} samples per block, but a {blockAlign}-byte block " +
                $"contains at most {capacity}: the file is damaged");
        }

        // A missing or zero count means full blocks. A smaller count means each block contains only
        // that many frames, as sox 14.4.2 reads it. For IMA ADPCM, sox also requires the count
        // minus one to be a multiple of 8, and this decoder does not.
        var format = new WavFormat(
            ima ? WavSampleEncoding.ImaAdpcm : WavSampleEncoding.MsAdpcm,
            channels, sampleRate, blockAlign, 0, bits, Extensible: false, BigEndian: false)
        {
            SamplesPerBlock = declared == 0 ? capacity : declared,
        };
        return ima ? format : format with { Coefficients = ReadCoefficients(extension) };
    }

    private static short[] ReadCoefficients(ReadOnlySpan<byte> extension)
    {
        if (extension.Length < 4)
        {
            return MsAdpcm.StandardCoefficients;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(extension[2..]);
        if (count is < MsAdpcm.StandardPairs or > MsAdpcm.MaxPairs)
        {
            throw Error(
                $"WAV MS ADPCM fmt chunk declares {count} coefficient pairs, not between " +
                $"{MsAdpcm.StandardPairs} and {MsAdpcm.MaxPairs}: the file is damaged");
        }

        var pairs = extension[4..];
        if (pairs.Length < count * 4)
        {
            throw Error(
                $"WAV MS ADPCM fmt chunk declares {count} coefficient pairs but contains only {pairs.Length / 4}: " +
                "the file is damaged");
        }

        var coefficients = new short[count * 2];
        for (int i = 0; i < coefficients.Length; i++)
        {
            coefficients[i] = BinaryPrimitives.ReadInt16LittleEndian(pairs[(2 * i)..]);
        }

        return coefficients;
    }

    private static WavSampleEncoding Classify(ushort tag, int container, int bits)
    {
        switch (tag)
        {
            case TagPcm when container is >= 1 and <= 4 && bits <= container * 8:
                return container switch
                {
                    1 => WavSampleEncoding.UInt8,
                    2 => WavSampleEncoding.Int16,
                    3 => WavSampleEncoding.Int24,
                    _ => WavSampleEncoding.Int32,
                };
            case TagPcm:
                throw Error(
                    $"WAV PCM with {bits} bits in {container}-byte containers is not supported: convert to 16-bit PCM or float WAV");
            case TagFloat when container == 4:
                return WavSampleEncoding.Float32;
            case TagFloat when container == 8:
                return WavSampleEncoding.Float64;
            case TagFloat:
                throw Error(
                    $"WAV IEEE float with {container}-byte samples is not supported: convert to 32-bit float WAV");
            case TagALaw when container == 1:
                return WavSampleEncoding.ALaw;
            case TagMuLaw when container == 1:
                return WavSampleEncoding.MuLaw;
            default:
                string name = tag switch
                {
                    TagALaw => $"A-law with {container}-byte samples",
                    TagMuLaw => $"mu-law with {container}-byte samples",
                    TagImaAdpcm => "IMA ADPCM in WAVE_FORMAT_EXTENSIBLE",
                    TagMsAdpcm => "MS ADPCM in WAVE_FORMAT_EXTENSIBLE",
                    _ => KnownTags.GetValueOrDefault(tag, "unknown encoding"),
                };
                throw Error($"WAV format tag 0x{tag:X4} ({name}) is not supported: convert to PCM or float WAV");
        }
    }

    private static MediaException Error(string message) => new(WavDecoder.Stage, message);
}
