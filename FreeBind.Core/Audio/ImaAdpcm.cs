using System.Buffers.Binary;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>
/// Decodes 4-bit IMA ADPCM blocks (WAV format tag 0x0011, also called DVI ADPCM) to 16-bit samples.
/// </summary>
/// <remarks>
/// <para>
/// A block starts with a 4-byte header per channel: the block's first sample (int16), the step
/// index (0 to 88) and a reserved byte. The codes follow in 4-byte words that take turns between
/// the channels. Each word contains the next 8 codes of one channel, the low nibble of each byte
/// first. So a block of <c>b</c> bytes contains <c>1 + 8 * floor((b - 4c) / 4c)</c> frames for
/// <c>c</c> channels, and bytes after the last whole word are ignored.
/// </para>
/// <para>
/// Each code moves the sample by step/8, plus step/4, step/2 and step for code bits 0, 1 and 2,
/// each term truncated on its own, and bit 3 is the sign. This is the IMA recommended practice
/// of 1992, and sox 14.4.2 decodes the same way. ffmpeg 5.1 computes <c>(2 * code + 1) * step / 8</c>
/// in one step instead. That difference is up to 3 larger per code, so ffmpeg's output drifts
/// a few units away from sox's.
/// </para>
/// </remarks>
internal static class ImaAdpcm
{
    /// <summary>Bytes of block header per channel.</summary>
    public const int HeaderBytesPerChannel = 4;

    /// <summary>Largest valid step index.</summary>
    public const int MaxStepIndex = 88;

    // Step sizes of the IMA recommended practice, about 10% apart.
    private static readonly short[] StepSizes =
    [
        7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 21, 23, 25, 28, 31, 34, 37, 41, 45, 50, 55, 60, 66,
        73, 80, 88, 97, 107, 118, 130, 143, 157, 173, 190, 209, 230, 253, 279, 307, 337, 371, 408,
        449, 494, 544, 598, 658, 724, 796, 876, 963, 1060, 1166, 1282, 1411, 1552, 1707, 1878, 2066,
        2272, 2499, 2749, 3024, 3327, 3660, 4026, 4428, 4871, 5358, 5894, 6484, 7132, 7845, 8630,
        9493, 10442, 11487, 12635, 13899, 15289, 16818, 18500, 20350, 22385, 24623, 27086, 29794,
        32767,
    ];

    // Step-index change for the code's magnitude (its low 3 bits).
    private static readonly sbyte[] StepIndexChanges = [-1, -1, -1, -1, 2, 4, 6, 8];

    /// <summary>Counts the whole frames in the first <paramref name="byteCount"/> bytes of a block.</summary>
    public static int FramesIn(int byteCount, int channels)
    {
        int headerBytes = HeaderBytesPerChannel * channels;
        if (byteCount < headerBytes)
        {
            return 0;
        }

        int wordGroupBytes = 4 * channels;
        return 1 + ((byteCount - headerBytes) / wordGroupBytes * 8);
    }

    /// <summary>Decodes the first <paramref name="frames"/> frames of one block.</summary>
    /// <param name="block">The block, at least as long as <paramref name="frames"/> needs.</param>
    /// <param name="channels">1 or 2.</param>
    /// <param name="frames">Frames to decode, at most <see cref="FramesIn"/> of the block's length.</param>
    /// <param name="output">Receives <c>frames * channels</c> interleaved samples.</param>
    /// <param name="blockIndex">Position of the block in the data chunk, for error messages.</param>
    /// <exception cref="MediaException">Stage "decode": a header's step index is above 88.</exception>
    public static void DecodeBlock(
        ReadOnlySpan<byte> block, int channels, int frames, Span<short> output, long blockIndex)
    {
        int headerBytes = HeaderBytesPerChannel * channels;
        for (int channel = 0; channel < channels; channel++)
        {
            var header = block.Slice(channel * HeaderBytesPerChannel, HeaderBytesPerChannel);
            int sample = BinaryPrimitives.ReadInt16LittleEndian(header);
            int stepIndex = header[2];
            if (stepIndex > MaxStepIndex)
            {
                throw new MediaException(WavDecoder.Stage,
                    $"WAV IMA ADPCM block {blockIndex}, channel {channel} has step index {stepIndex}, " +
                    $"more than the maximum of {MaxStepIndex}: the file is damaged");
            }

            output[channel] = (short)sample;
            for (int frame = 1; frame < frames; frame++)
            {
                int code = frame - 1;
                int word = (code / 8 * channels) + channel;
                byte packed = block[headerBytes + (word * 4) + (code % 8 / 2)];
                int nibble = (code & 1) == 0 ? packed & 0x0F : packed >> 4;

                sample = Expand(nibble, sample, ref stepIndex);
                output[(frame * channels) + channel] = (short)sample;
            }
        }
    }

    private static int Expand(int nibble, int sample, ref int stepIndex)
    {
        int step = StepSizes[stepIndex];
        int difference = step >> 3;
        if ((nibble & 4) != 0)
        {
            difference += step;
        }

        if ((nibble & 2) != 0)
        {
            difference += step >> 1;
        }

        if ((nibble & 1) != 0)
        {
            difference += step >> 2;
        }

        sample = (nibble & 8) != 0 ? sample - difference : sample + difference;
        stepIndex = Math.Clamp(stepIndex + StepIndexChanges[nibble & 7], 0, MaxStepIndex);
        return Math.Clamp(sample, short.MinValue, short.MaxValue);
    }
}
