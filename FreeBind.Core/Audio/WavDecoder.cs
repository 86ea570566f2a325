using System.Buffers.Binary;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>
/// Decodes WAV files to mono float samples. Containers: RIFF, big-endian RIFX, RF64, BW64 and
/// Sony Wave64. Encodings: PCM 8 (unsigned), 16, 24 and 32-bit, IEEE float 32 and 64-bit, G.711
/// A-law and mu-law, WAVE_FORMAT_EXTENSIBLE with a PCM or float subformat, each with any channel
/// count, and 4-bit IMA ADPCM and MS ADPCM in mono or stereo.
/// </summary>
/// <remarks>
/// A parser of our own, not NAudio's WaveFileReader. It decodes PCM straight from the bytes to
/// mono without a per-channel buffer, and ADPCM one block at a time. It accepts the data-chunk
/// sizes that streaming writers leave behind (0, 0xFFFFFFFF, larger than the file) and an
/// odd-sized chunk without its pad byte, and every error names the value. Integer samples are scaled as torchaudio does:
/// divided by 2^(bits-1) of the container, with 8-bit samples centred on 128. ADPCM decodes to
/// the int16 values that sox 14.4.2 outputs, scaled by 1/32768. A final ADPCM block cut short
/// yields the whole frames it contains.
/// </remarks>
public static class WavDecoder
{
    /// <summary>The <see cref="MediaException.Stage"/> of every decoding error.</summary>
    internal const string Stage = "decode";

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
        var layout = WavContainer.Read(data, warnings);
        var format = layout.Format;

        long frames = format.IsAdpcm
            ? AdpcmDecoder.CountFrames(layout.DataLength, format, warnings)
            : CountPcmFrames(layout.DataLength, format, warnings);
        if (frames == 0)
        {
            string unit = format.IsAdpcm ? "bytes per block" : "bytes per frame";
            throw new MediaException(Stage,
                $"WAV file has no samples (data chunk of {layout.DataLength} bytes, {format.BlockAlign} {unit})");
        }

        double seconds = (double)frames / format.SampleRate;
        if (seconds > maxSeconds)
        {
            throw new MediaException(Stage,
                $"recording is {seconds:0.###} s long, more than the maximum of {maxSeconds} s: " +
                "cut it or raise MaxSeconds");
        }

        if (frames > Array.MaxLength)
        {
            throw new MediaException(Stage,
                $"recording has {frames} samples per channel, more than the {Array.MaxLength} that one " +
                "array can contain: cut it into shorter files");
        }

        var samples = new float[frames];
        long nonFinite = 0;
        if (format.IsAdpcm)
        {
            var blocks = data.Slice(checked((int)layout.DataOffset), checked((int)layout.DataLength));
            AdpcmDecoder.Decode(blocks, format, mix, samples);
        }
        else
        {
            var pcm = data.Slice(checked((int)layout.DataOffset), checked((int)(frames * format.BlockAlign)));
            nonFinite = DecodeSamples(pcm, format, mix, samples);
        }

        if (nonFinite > 0)
        {
            throw new MediaException(Stage,
                $"WAV file contains {nonFinite} NaN or infinite samples in {format.Describe()} data: " +
                "repair or re-export the file");
        }

        return new DecodedAudio(format.SampleRate, format.Channels, samples, format.Describe(), warnings);
    }

    private static long CountPcmFrames(long dataLength, WavFormat format, List<string> warnings)
    {
        long partial = dataLength % format.BlockAlign;
        if (partial != 0)
        {
            warnings.Add($"data chunk ends with a partial frame of {partial} bytes, ignored");
        }

        return dataLength / format.BlockAlign;
    }

    private static long DecodeSamples(ReadOnlySpan<byte> pcm, WavFormat format, ChannelMix mix, float[] output)
    {
        if (format.Encoding == WavSampleEncoding.Int16 && !format.BigEndian
            && (format.Channels == 1 || mix == ChannelMix.Average))
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
                sum += ReadSample(frameBytes.Slice(channel * width, width), format);
            }

            if (mix == ChannelMix.First && format.Channels > 1
                && format.Encoding is WavSampleEncoding.Float32 or WavSampleEncoding.Float64)
            {
                // NaN in an ignored channel still marks the file as damaged.
                for (int channel = 1; channel < format.Channels; channel++)
                {
                    sum += 0 * ReadSample(frameBytes.Slice(channel * width, width), format);
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

    private static double ReadSample(ReadOnlySpan<byte> bytes, WavFormat format)
    {
        if (format.BigEndian)
        {
            return ReadBigEndianSample(bytes, format.Encoding);
        }

        return format.Encoding switch
        {
            WavSampleEncoding.UInt8 => (bytes[0] - 128) / 128.0,
            WavSampleEncoding.Int16 => BinaryPrimitives.ReadInt16LittleEndian(bytes) / 32768.0,
            WavSampleEncoding.Int24 => (bytes[0] | (bytes[1] << 8) | ((sbyte)bytes[2] << 16)) / 8388608.0,
            WavSampleEncoding.Int32 => BinaryPrimitives.ReadInt32LittleEndian(bytes) / 2147483648.0,
            WavSampleEncoding.Float32 => BinaryPrimitives.ReadSingleLittleEndian(bytes),
            WavSampleEncoding.Float64 => BinaryPrimitives.ReadDoubleLittleEndian(bytes),
            WavSampleEncoding.ALaw => G711.DecodeALaw(bytes[0]) / 32768.0,
            WavSampleEncoding.MuLaw => G711.DecodeMuLaw(bytes[0]) / 32768.0,
            _ => throw new ArgumentOutOfRangeException(nameof(format), format.Encoding, "Not a PCM sample encoding."),
        };
    }

    // RIFX samples: multi-byte values are big-endian, one-byte encodings read as in RIFF.
    private static double ReadBigEndianSample(ReadOnlySpan<byte> bytes, WavSampleEncoding encoding) => encoding switch
    {
        WavSampleEncoding.UInt8 => (bytes[0] - 128) / 128.0,
        WavSampleEncoding.Int16 => BinaryPrimitives.ReadInt16BigEndian(bytes) / 32768.0,
        WavSampleEncoding.Int24 => (((sbyte)bytes[0] << 16) | (bytes[1] << 8) | bytes[2]) / 8388608.0,
        WavSampleEncoding.Int32 => BinaryPrimitives.ReadInt32BigEndian(bytes) / 2147483648.0,
        WavSampleEncoding.Float32 => BinaryPrimitives.ReadSingleBigEndian(bytes),
        WavSampleEncoding.Float64 => BinaryPrimitives.ReadDoubleBigEndian(bytes),
        WavSampleEncoding.ALaw => G711.DecodeALaw(bytes[0]) / 32768.0,
        WavSampleEncoding.MuLaw => G711.DecodeMuLaw(bytes[0]) / 32768.0,
        _ => throw new ArgumentOutOfRangeException(nameof(encoding), encoding, "Not a PCM sample encoding."),
    };
}
