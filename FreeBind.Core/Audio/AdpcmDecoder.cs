namespace FreeBind.Audio;

/// <summary>Decodes the IMA or MS ADPCM blocks of a WAV data chunk to mono samples.</summary>
/// <remarks>
/// A final block cut short yields the whole frames it contains, as sox 14.4.2 and ffmpeg 5.1 both
/// decode it. Like them, this ignores the fact chunk's sample count, so the padding at the end
/// of the last block is decoded too.
/// </remarks>
internal static class AdpcmDecoder
{
    /// <summary>Returns how many frames <paramref name="dataLength"/> bytes of blocks contain.</summary>
    /// <param name="dataLength">Bytes in the data chunk.</param>
    /// <param name="format">An IMA or MS ADPCM format.</param>
    /// <param name="warnings">Receives a warning when the last block is cut short.</param>
    public static long CountFrames(long dataLength, WavFormat format, List<string> warnings)
    {
        long blocks = dataLength / format.BlockAlign;
        int partialBytes = (int)(dataLength % format.BlockAlign);
        long frames = blocks * format.SamplesPerBlock;
        if (partialBytes == 0)
        {
            return frames;
        }

        int partialFrames = FramesIn(format, partialBytes);
        string partial =
            $"data chunk ends with a partial block of {partialBytes} bytes (blocks are {format.BlockAlign} bytes)";
        warnings.Add(partialFrames == 0
            ? $"{partial}, too short for its header; ignored"
            : $"{partial}; decoded the {partialFrames} whole frames it contains");
        return frames + partialFrames;
    }

    /// <summary>Decodes blocks until <paramref name="output"/> is full.</summary>
    /// <param name="data">The data chunk, with at least the frames that <see cref="CountFrames"/> counted.</param>
    /// <param name="format">An IMA or MS ADPCM format.</param>
    /// <param name="mix">How the channels become one.</param>
    /// <param name="output">Receives the mono samples, each int16 value scaled by 1/32768.</param>
    public static void Decode(ReadOnlySpan<byte> data, WavFormat format, ChannelMix mix, float[] output)
    {
        int channels = format.Channels;
        int mixed = mix == ChannelMix.First ? 1 : channels;
        double scale = 1.0 / (32768.0 * mixed);
        var block = new short[format.SamplesPerBlock * channels];

        int written = 0;
        for (long blockIndex = 0; written < output.Length; blockIndex++)
        {
            long offset = blockIndex * format.BlockAlign;
            var bytes = data.Slice((int)offset, (int)Math.Min(format.BlockAlign, data.Length - offset));
            int frames = FramesIn(format, bytes.Length);
            if (format.Encoding == WavSampleEncoding.ImaAdpcm)
            {
                ImaAdpcm.DecodeBlock(bytes, channels, frames, block, blockIndex);
            }
            else
            {
                MsAdpcm.DecodeBlock(bytes, channels, frames, format.Coefficients, block, blockIndex);
            }

            for (int frame = 0; frame < frames; frame++)
            {
                int sum = 0;
                for (int channel = 0; channel < mixed; channel++)
                {
                    sum += block[(frame * channels) + channel];
                }

                output[written++] = (float)(sum * scale);
            }
        }
    }

    private static int FramesIn(WavFormat format, int byteCount)
    {
        int whole = format.Encoding == WavSampleEncoding.ImaAdpcm
            ? ImaAdpcm.FramesIn(byteCount, format.Channels)
            : MsAdpcm.FramesIn(byteCount, format.Channels);
        return Math.Min(whole, format.SamplesPerBlock);
    }
}
