using System.Buffers.Binary;
using System.Text.Json;

using FreeBind.Audio;

namespace FreeBind.Tests.Audio;

/// <summary>
/// Reads the ADPCM, Wave64 and RIFX fixtures and the reference decodes that
/// tools/golden/audio/make_wav_variants.py wrote with sox 14.4.2 (ffmpeg 5.1 for float).
/// </summary>
internal static class WavVariantGolden
{
    private static readonly Lazy<JsonElement> Manifest = new(() => JsonDocument.Parse(
        File.ReadAllText(Path.Combine(AudioGolden.Directory, "wav_variants.json"))).RootElement);

    public static JsonElement Meta(string fixture) => Manifest.Value.GetProperty("fixtures").GetProperty(fixture);

    /// <summary>
    /// The reference decode of <paramref name="fixture"/>, one array per channel, scaled as
    /// <see cref="WavDecoder"/> scales: int16 by 1/32768, int32 by 1/2^31, float unchanged.
    /// </summary>
    public static double[][] Channels(string fixture)
    {
        var meta = Meta(fixture);
        string golden = meta.GetProperty("golden").GetString()!;
        int channels = meta.GetProperty("channels").GetInt32();
        var bytes = File.ReadAllBytes(Path.Combine(AudioGolden.Directory, golden));

        string kind = Path.GetExtension(golden);
        int width = kind == ".s16" ? 2 : 4;
        int frames = bytes.Length / width / channels;
        var result = new double[channels][];
        for (int channel = 0; channel < channels; channel++)
        {
            result[channel] = new double[frames];
            for (int frame = 0; frame < frames; frame++)
            {
                var sample = bytes.AsSpan(((frame * channels) + channel) * width, width);
                result[channel][frame] = kind switch
                {
                    ".s16" => BinaryPrimitives.ReadInt16LittleEndian(sample) / 32768.0,
                    ".s32" => BinaryPrimitives.ReadInt32LittleEndian(sample) / 2147483648.0,
                    ".f32le" => BinaryPrimitives.ReadSingleLittleEndian(sample),
                    _ => throw new InvalidDataException($"unknown golden kind '{kind}' of {fixture}"),
                };
            }
        }

        return result;
    }

    /// <summary>Channel 0 of the reference, rounded to float as the decoder rounds it.</summary>
    public static float[] First(double[][] channels) => [.. channels[0].Select(v => (float)v)];

    /// <summary>The mean of all channels of the reference, rounded to float as the decoder rounds it.</summary>
    public static float[] Average(double[][] channels)
    {
        var mean = new float[channels[0].Length];
        for (int frame = 0; frame < mean.Length; frame++)
        {
            double sum = 0;
            foreach (var channel in channels)
            {
                sum += channel[frame];
            }

            mean[frame] = (float)(sum * (1.0 / channels.Length));
        }

        return mean;
    }
}
