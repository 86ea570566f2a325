using FreeBind.Audio;

using Xunit.Abstractions;

namespace FreeBind.Tests.Audio;

/// <summary>Compares resampling and features with torchaudio 0.13.1 outputs from make_golden.py.</summary>
public sealed class FeatureGoldenTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(44100, 16000)]
    [InlineData(22050, 16000)]
    [InlineData(8000, 16000)]
    [InlineData(16000, 48000)]
    [InlineData(44100, 48000)]
    public void Resample_MatchesTorchaudio(int source, int target)
    {
        var input = AudioGolden.Synth(source, source / 10);

        var actual = SincResampler.Resample(input, source, target);

        double vs64 = AudioGolden.MaxAbsDiff(AudioGolden.Array($"resample_{source}_{target}_f64"), actual);
        double vs32 = AudioGolden.MaxAbsDiff(AudioGolden.Array($"resample_{source}_{target}_f32"), actual);
        output.WriteLine($"{source}->{target}: max diff {vs64:E2} vs float64, {vs32:E2} vs float32");
        Assert.InRange(vs64, 0, 1e-6);

        // Torchaudio on float32 builds its kernels in float32, and differs by up to 1.2e-5.
        Assert.InRange(vs32, 0, 5e-5);
    }

    [Fact]
    public void Resample_SameRate_Copies()
    {
        float[] input = [1, 2, 3];

        var actual = SincResampler.Resample(input, 16000, 16000);

        Assert.Equal(input, actual);
        Assert.NotSame(input, actual);
    }

    [Fact]
    public void KaldiFbank_MatchesTorchaudio()
    {
        var fbank = new KaldiFbank(16000, 128, 25, 10);

        var actual = fbank.Compute(AudioGolden.Synth(16000, 16000));

        double vs64 = AudioGolden.MaxAbsDiff(AudioGolden.Array("fbank_16k_f64"), actual);
        double vs32 = AudioGolden.MaxAbsDiff(AudioGolden.Array("fbank_16k_f32"), actual);
        output.WriteLine($"fbank: max diff {vs64:E2} vs float64, {vs32:E2} vs float32");
        Assert.Equal(98, fbank.FrameCount(16000));
        Assert.InRange(vs64, 0, 1e-4);

        // The float32 reference is itself this far from float64 on these pure tones.
        Assert.InRange(vs32, 0, ReferenceError("fbank_16k_f64") + 1e-4);
    }

    [Fact]
    public void KaldiFbank_ShortInput_HasNoFrames()
    {
        var fbank = new KaldiFbank(16000, 128, 25, 10);

        Assert.Empty(fbank.Compute(new float[399]));
        Assert.Equal(1, fbank.FrameCount(400));
    }

    [Fact]
    public void ClipSampler_MatchesSamplerArithmetic()
    {
        foreach (var item in AudioGolden.ClipSpans.EnumerateArray())
        {
            int samples = item.GetProperty("samples").GetInt32();
            var expected = item.GetProperty("spans").EnumerateArray()
                .Select(span => (span[0].GetInt32(), span[1].GetInt32()))
                .ToArray();

            var actual = ClipSampler.Place(samples, item.GetProperty("rate").GetInt32(), 2, 3);

            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ClapLogMel_MatchesTorchaudioSlaneyMel()
    {
        var clap = new ClapLogMel();
        var meta = AudioGolden.Meta("clap_48k_f64");
        var frames = meta.GetProperty("frames").EnumerateArray().Select(f => f.GetInt32()).ToArray();

        var actual = clap.Compute(AudioGolden.Synth(48000, meta.GetProperty("samples").GetInt32()));

        var picked = frames.SelectMany(f => actual.AsSpan(f * 64, 64).ToArray()).ToArray();
        double diff = AudioGolden.MaxAbsDiff(AudioGolden.Array("clap_48k_f64"), picked);
        output.WriteLine($"clapLogMel: max diff {diff:E2} dB vs float64");
        Assert.Equal(1001, clap.Frames);
        Assert.InRange(diff, 0, 1e-3);
    }

    internal static double ReferenceError(string name) =>
        AudioGolden.Meta(name).GetProperty("float32_reference_error").GetDouble();

    [Fact]
    public void ClapLogMel_RepeatsThenPads()
    {
        var clap = new ClapLogMel(segmentSamples: 1000, fftSize: 64, hopLength: 10, melBins: 8, lowHz: 50, highHz: 14000);

        var segment = clap.FitSegment([1, 2, 3]);

        Assert.Equal([1, 2, 3, 1, 2, 3], segment[..6]);
        Assert.Equal(3f, segment[998]);
        Assert.Equal(0f, segment[999]);
    }
}
