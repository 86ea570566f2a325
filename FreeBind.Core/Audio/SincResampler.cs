using System.Collections.Concurrent;
using System.Numerics;
using System.Runtime.InteropServices;

namespace FreeBind.Audio;

/// <summary>
/// Band-limited resampling that reproduces <c>torchaudio.functional.resample</c> with its
/// defaults (Hann-windowed sinc, <c>lowpass_filter_width=6</c>, <c>rolloff=0.99</c>), the
/// resampler ImageBind uses.
/// </summary>
/// <remarks>
/// Facts from torchaudio 0.13.1: both rates are divided by their GCD; each of the
/// <c>new</c> output phases has its own kernel of <c>2·width + orig</c> taps, where
/// <c>width = ceil(6·orig / (0.99·min(orig, new)))</c>; the input is zero-padded by
/// <c>width</c> on the left and <c>width + orig</c> on the right, convolved with stride
/// <c>orig</c>, and cut to <c>ceil(new·length / orig)</c> samples. Kernels are computed in
/// float64 and applied with float64 sums. The float32 output then equals torchaudio on a
/// float64 waveform in the golden tests. Torchaudio on a float32 waveform builds its kernels in
/// float32, so it differs from both by up to about 1e-5.
/// Thread-safe; kernels are cached per rate pair.
/// </remarks>
public static class SincResampler
{
    private const int LowpassFilterWidth = 6;
    private const double Rolloff = 0.99;
    private const int MaxCachedPairs = 64;

    private static readonly ConcurrentDictionary<(int Orig, int New), PhaseKernels> Cache = new();

    /// <summary>Resamples <paramref name="input"/> from <paramref name="fromRate"/> to <paramref name="toRate"/> Hz.</summary>
    /// <returns>A new array; a copy of the input when the rates are equal.</returns>
    public static float[] Resample(ReadOnlySpan<float> input, int fromRate, int toRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fromRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(toRate);
        if (fromRate == toRate)
        {
            return input.ToArray();
        }

        int gcd = (int)BigInteger.GreatestCommonDivisor(fromRate, toRate);
        int orig = fromRate / gcd;
        int phases = toRate / gcd;
        // The cache stops growing at MaxCachedPairs, so files with many odd rates cannot fill memory.
        var kernels = Cache.TryGetValue((orig, phases), out PhaseKernels? cached)
            ? cached
            : PhaseKernels.Create(orig, phases);
        if (cached is null && Cache.Count < MaxCachedPairs)
        {
            Cache.TryAdd((orig, phases), kernels);
        }

        int width = kernels.Width;
        var padded = new float[input.Length + 2 * width + orig];
        input.CopyTo(padded.AsSpan(width));

        long targetLength = ((long)phases * input.Length + orig - 1) / orig;
        var output = new float[targetLength];
        for (long k = 0; k < targetLength; k++)
        {
            long block = k / phases;
            int phase = (int)(k % phases);
            int first = kernels.First[phase];
            int length = kernels.Length[phase];
            var window = padded.AsSpan((int)(block * orig) + first, length);
            var kernel = kernels.Values.AsSpan(kernels.Offset[phase], length);
            output[k] = Dot(window, kernel);
        }

        return output;
    }

    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        var acc = Vector<double>.Zero;
        if (Vector.IsHardwareAccelerated)
        {
            var va = MemoryMarshal.Cast<float, Vector<float>>(a);
            var vb = MemoryMarshal.Cast<double, Vector<double>>(b);
            for (int v = 0; v < va.Length && 2 * v + 1 < vb.Length; v++)
            {
                Vector.Widen(va[v], out var low, out var high);
                acc += low * vb[2 * v] + high * vb[2 * v + 1];
            }

            i = Math.Min(va.Length, vb.Length / 2) * Vector<float>.Count;
        }

        double sum = Vector.Sum(acc);
        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return (float)sum;
    }

    /// <summary>The non-negligible kernel weights of every output phase, packed one phase after another.</summary>
    /// <remarks>
    /// Taps beyond 6 zero crossings get the window cos²(π/2), about 4e-33, so each phase keeps
    /// only its span of weights above 1e-30. From 44.1 to 16 kHz that is about 34 of 475 taps.
    /// Only taps within 6 zero crossings (plus a margin of 2) are computed, so the memory grows
    /// with about 12 × max(orig, new) weights. Computing all <c>new × (2·width + orig)</c> weights,
    /// as torchaudio does, would take gigabytes for rates such as 44101 Hz whose GCD with the
    /// target rate is 1.
    /// </remarks>
    private sealed record PhaseKernels(double[] Values, int Width, int[] Offset, int[] First, int[] Length)
    {
        public static PhaseKernels Create(int orig, int phases)
        {
            double baseFreq = Math.Min(orig, phases) * Rolloff;
            int width = (int)Math.Ceiling(LowpassFilterWidth * orig / baseFreq);
            int taps = 2 * width + orig;
            double scale = baseFreq / orig;
            double reach = LowpassFilterWidth * (double)orig / baseFreq;

            var weights = new List<double>();
            var offset = new int[phases];
            var first = new int[phases];
            var length = new int[phases];
            var row = new List<double>();
            for (int phase = 0; phase < phases; phase++)
            {
                // t is zero at n = width + orig * phase / phases and reaches ±6 at ±reach taps.
                double centre = width + ((double)orig * phase / phases);
                int start = Math.Max(0, (int)Math.Floor(centre - reach) - 2);
                int end = Math.Min(taps - 1, (int)Math.Ceiling(centre + reach) + 2);

                row.Clear();
                for (int n = start; n <= end; n++)
                {
                    double t = (-(double)phase / phases + (double)(n - width) / orig) * baseFreq;
                    t = Math.Clamp(t, -LowpassFilterWidth, LowpassFilterWidth);
                    double window = Math.Cos(t * Math.PI / LowpassFilterWidth / 2);
                    window *= window;
                    t *= Math.PI;
                    double sinc = t == 0 ? 1.0 : Math.Sin(t) / t;
                    row.Add(sinc * window * scale);
                }

                int lo = 0;
                while (lo < row.Count - 1 && Math.Abs(row[lo]) < 1e-30)
                {
                    lo++;
                }

                int hi = row.Count - 1;
                while (hi > lo && Math.Abs(row[hi]) < 1e-30)
                {
                    hi--;
                }

                offset[phase] = weights.Count;
                first[phase] = start + lo;
                length[phase] = hi - lo + 1;
                weights.AddRange(row.GetRange(lo, hi - lo + 1));
            }

            return new PhaseKernels(weights.ToArray(), width, offset, first, length);
        }
    }
}
