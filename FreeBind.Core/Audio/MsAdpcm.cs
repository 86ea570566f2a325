using System.Buffers.Binary;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>Decodes 4-bit Microsoft ADPCM blocks (WAV format tag 0x0002) to 16-bit samples.</summary>
/// <remarks>
/// <para>
/// A block header contains, one field per channel at a time: the predictor index (1 byte), the
/// initial delta (int16), then the newer and the older of two starting samples (int16 each).
/// The older sample is the block's first output, the newer one its second. The codes follow,
/// high nibble first, taking turns between channels, so a block of <c>b</c> bytes contains
/// <c>2 + 2 * (b - 7c) / c</c> frames for <c>c</c> channels.
/// </para>
/// <para>
/// Each code predicts from the last two samples with the block's coefficient pair, in 8.8 fixed
/// point, adds the signed code times delta and clamps to int16. Then delta is scaled by the
/// adaptation table entry for the code, divided by 256, and kept at 16 or more. The prediction
/// is rounded down (an arithmetic shift by 8), as sox 14.4.2 does. ffmpeg 5.1 divides and
/// rounds toward zero, so its output differs after negative predictions.
/// </para>
/// </remarks>
internal static class MsAdpcm
{
    /// <summary>Bytes of block header per channel.</summary>
    public const int HeaderBytesPerChannel = 7;

    /// <summary>Number of standard coefficient pairs, the fewest a fmt chunk may declare.</summary>
    public const int StandardPairs = 7;

    /// <summary>Largest number of coefficient pairs a fmt chunk may declare, because a predictor index is one byte.</summary>
    public const int MaxPairs = 256;

    /// <summary>The standard coefficient pairs, coef1 and coef2 interleaved, in 8.8 fixed point.</summary>
    public static readonly short[] StandardCoefficients =
        [256, 0, 512, -256, 0, 0, 192, 64, 240, 0, 460, -208, 392, -232];

    // Delta scale factors for each 4-bit code, in 8.8 fixed point.
    private static readonly short[] Adaptation =
        [230, 230, 230, 230, 307, 409, 512, 614, 768, 614, 512, 409, 307, 230, 230, 230];

    // Delta stays below this, so that delta times an adaptation factor fits in an int. Valid
    // encoders keep delta far lower; only damaged data drives it this high.
    private const int MaxDelta = int.MaxValue / 768;

    /// <summary>Counts the whole frames in the first <paramref name="byteCount"/> bytes of a block.</summary>
    public static int FramesIn(int byteCount, int channels)
    {
        int headerBytes = HeaderBytesPerChannel * channels;
        return byteCount < headerBytes ? 0 : 2 + ((byteCount - headerBytes) * 2 / channels);
    }

    /// <summary>Decodes the first <paramref name="frames"/> frames of one block.</summary>
    /// <param name="block">The block, at least as long as <paramref name="frames"/> needs.</param>
    /// <param name="channels">1 or 2.</param>
    /// <param name="frames">Frames to decode, from 1 to <see cref="FramesIn"/> of the block's length.</param>
    /// <param name="coefficients">Coefficient pairs from the fmt chunk, coef1 and coef2 interleaved.</param>
    /// <param name="output">Receives <c>frames * channels</c> interleaved samples.</param>
    /// <param name="blockIndex">Position of the block in the data chunk, for error messages.</param>
    /// <exception cref="MediaException">Stage "decode": a predictor index has no coefficient pair.</exception>
    public static void DecodeBlock(
        ReadOnlySpan<byte> block, int channels, int frames, short[] coefficients, Span<short> output, long blockIndex)
    {
        int headerBytes = HeaderBytesPerChannel * channels;
        for (int channel = 0; channel < channels; channel++)
        {
            int predictor = block[channel];
            if (predictor >= coefficients.Length / 2)
            {
                throw new MediaException(WavDecoder.Stage,
                    $"WAV MS ADPCM block {blockIndex}, channel {channel} uses predictor {predictor}, but the fmt " +
                    $"chunk defines only {coefficients.Length / 2} coefficient pairs: the file is damaged");
            }

            int coef1 = coefficients[2 * predictor];
            int coef2 = coefficients[(2 * predictor) + 1];
            int delta = ReadHeaderField(block, channels, channel, 0);
            int newer = ReadHeaderField(block, channels, channel, 1);
            int older = ReadHeaderField(block, channels, channel, 2);

            output[channel] = (short)older;
            if (frames > 1)
            {
                output[channels + channel] = (short)newer;
            }

            for (int frame = 2; frame < frames; frame++)
            {
                int code = ((frame - 2) * channels) + channel;
                byte packed = block[headerBytes + (code / 2)];
                int nibble = (code & 1) == 0 ? packed >> 4 : packed & 0x0F;

                long prediction = ((long)newer * coef1 + (long)older * coef2) >> 8;
                int signedNibble = nibble >= 8 ? nibble - 16 : nibble;
                int sample = (int)Math.Clamp(prediction + ((long)signedNibble * delta), short.MinValue, short.MaxValue);
                older = newer;
                newer = sample;
                delta = Math.Clamp((Adaptation[nibble] * delta) >> 8, 16, MaxDelta);

                output[(frame * channels) + channel] = (short)sample;
            }
        }
    }

    // Reads int16 field `field` (0 delta, 1 newer sample, 2 older sample) of a channel's header.
    private static short ReadHeaderField(ReadOnlySpan<byte> block, int channels, int channel, int field) =>
        BinaryPrimitives.ReadInt16LittleEndian(block[(channels + (2 * ((field * channels) + channel)))..]);
}
