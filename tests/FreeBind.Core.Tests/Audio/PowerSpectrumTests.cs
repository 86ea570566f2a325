using FreeBind.Audio;

namespace FreeBind.Tests.Audio;

public sealed class PowerSpectrumTests
{
    [Theory]
    [InlineData(2, 2)]
    [InlineData(4, 3)]
    [InlineData(8, 8)]
    [InlineData(512, 400)]
    [InlineData(1024, 1024)]
    public void Compute_MatchesDirectDft(int size, int frameLength)
    {
        var random = new Random(size + frameLength);
        var frame = Enumerable.Range(0, frameLength).Select(_ => (2 * random.NextDouble()) - 1).ToArray();
        var spectrum = new PowerSpectrum(size);
        var power = new double[spectrum.Bins];

        spectrum.Compute(frame, power);

        Assert.Equal(size / 2 + 1, power.Length);
        var expected = DirectPower(frame, size);
        var scale = expected.Max();
        for (var k = 0; k < power.Length; k++)
        {
            Assert.True(Math.Abs(power[k] - expected[k]) <= 1e-9 * scale, $"bin {k}: {power[k]} vs direct DFT {expected[k]}");
        }
    }

    [Fact]
    public void Compute_ReusedAcrossFrames()
    {
        var spectrum = new PowerSpectrum(16);
        var first = new double[spectrum.Bins];
        var second = new double[spectrum.Bins];
        var tone = Enumerable.Range(0, 16).Select(n => Math.Cos(2 * Math.PI * 3 * n / 16)).ToArray();

        spectrum.Compute(Enumerable.Range(0, 16).Select(n => (double)n).ToArray(), first);
        spectrum.Compute(tone, second);

        // A cosine of 3 cycles puts all its energy in bin 3: |16/2|² = 64.
        Assert.Equal(64, second[3], 9);
        Assert.Equal(0, second.Where((_, k) => k != 3).Max(), 9);
    }

    /// <summary>Returns |X[k]|² for k in [0, size/2] by the O(N²) definition, the frame zero-padded to <paramref name="size"/>.</summary>
    private static double[] DirectPower(double[] frame, int size)
    {
        var power = new double[size / 2 + 1];
        for (var k = 0; k < power.Length; k++)
        {
            double real = 0;
            double imaginary = 0;
            for (var n = 0; n < frame.Length; n++)
            {
                var angle = -2 * Math.PI * k * n / size;
                real += frame[n] * Math.Cos(angle);
                imaginary += frame[n] * Math.Sin(angle);
            }

            power[k] = real * real + imaginary * imaginary;
        }

        return power;
    }
}
