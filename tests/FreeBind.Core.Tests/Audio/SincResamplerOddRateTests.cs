using FreeBind.Audio;

namespace FreeBind.Tests.Audio;

/// <summary>Rates whose greatest common divisor with the target rate is 1.</summary>
public sealed class SincResamplerOddRateTests
{
    [Fact]
    public void CoprimeRates_MatchFullKernelFormula()
    {
        float[] input = Tone(1601, 400);

        float[] actual = SincResampler.Resample(input, 1601, 1600);

        double[] expected = ResampleWithFullKernels(input, 1601, 1600);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], actual[i], 1e-6);
        }
    }

    [Fact]
    public void Rate44101_AllocatesLittle()
    {
        // The full kernel table for 44101 to 16000 Hz has 16000 × 44135 weights (5.6 GB of doubles).
        float[] input = Tone(44101, 4410);

        long before = GC.GetAllocatedBytesForCurrentThread();
        float[] output = SincResampler.Resample(input, 44101, 16000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1600, output.Length);
        Assert.InRange(allocated, 0, 64L << 20);
    }

    private static float[] Tone(int rate, int length)
    {
        var samples = new float[length];
        for (int i = 0; i < length; i++)
        {
            samples[i] = (float)(0.5 * Math.Sin(2 * Math.PI * 97.0 * i / rate));
        }

        return samples;
    }

    // torchaudio.functional.resample's defaults written out with every tap of every phase,
    // as torchaudio 0.13.1 computes them, without dropping negligible weights.
    private static double[] ResampleWithFullKernels(float[] input, int orig, int phases)
    {
        double baseFreq = Math.Min(orig, phases) * 0.99;
        int width = (int)Math.Ceiling(6 * orig / baseFreq);
        int taps = 2 * width + orig;
        var padded = new double[input.Length + taps];
        for (int i = 0; i < input.Length; i++)
        {
            padded[width + i] = input[i];
        }

        long length = ((long)phases * input.Length + orig - 1) / orig;
        var output = new double[length];
        for (long k = 0; k < length; k++)
        {
            long block = k / phases;
            int phase = (int)(k % phases);
            double sum = 0;
            for (int n = 0; n < taps; n++)
            {
                double t = (-(double)phase / phases + (double)(n - width) / orig) * baseFreq;
                t = Math.Clamp(t, -6, 6);
                double window = Math.Cos(t * Math.PI / 6 / 2);
                t *= Math.PI;
                double sinc = t == 0 ? 1.0 : Math.Sin(t) / t;
                sum += padded[(block * orig) + n] * sinc * window * window * baseFreq / orig;
            }

            output[k] = sum;
        }

        return output;
    }
}
