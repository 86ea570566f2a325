using System.Text.Json;

namespace FreeBind.Tests.Audio;

/// <summary>Reads the fixtures that tools/golden/audio/make_golden.py wrote with torchaudio 0.13.1.</summary>
internal static class AudioGolden
{
    public static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Audio");

    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "manifest.json"))).RootElement);

    public static float[] Array(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Directory, name + ".f32"));
        var values = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
        return values;
    }

    public static JsonElement Meta(string name) => Manifest.Value.GetProperty("arrays").GetProperty(name);

    public static JsonElement ClipSpans => Manifest.Value.GetProperty("clipSpans");

    public static byte[] Wav(string fileName) => File.ReadAllBytes(Path.Combine(Directory, fileName));

    /// <summary>The script's synth(): two tones and a chirp, each value rounded to float32.</summary>
    public static float[] Synth(int rate, int count, int channel = 0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++)
        {
            double t = (double)i / rate;
            double v = 0.5 * Math.Sin(2 * Math.PI * 440 * t + channel)
                + 0.3 * Math.Sin(2 * Math.PI * 3000 * t + 0.5)
                + 0.1 * Math.Sin(2 * Math.PI * (100 + 2000.0 * i / count) * t);
            values[i] = (float)v;
        }

        return values;
    }

    /// <summary>Largest absolute difference between two arrays of equal length.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = Math.Max(max, Math.Abs((double)expected[i] - actual[i]));
        }

        return max;
    }
}
