using System.Numerics;

namespace FreeBind.Audio;

/// <summary>
/// Places clips the way ImageBind's audio loader does with pytorchvideo's
/// <c>ConstantClipsPerVideoSampler</c>.
/// </summary>
/// <remarks>
/// The sampler spaces the clip starts evenly from 0 to max(duration − clip, 0):
/// start_k = k · max(duration − clip, 0) / max(clips − 1, 1) seconds, end_k = start_k + clip.
/// The duration is the float64 value samples / rate, and the subtraction is float64 too
/// (a float minus a <c>Fraction</c> in Python); the rest is exact rational arithmetic, and
/// ImageBind truncates start·rate and end·rate to sample indices. This class repeats that with
/// <see cref="BigInteger"/> so a boundary never moves by one sample. Clips may overlap, and a
/// recording shorter than one clip gives the same whole recording for every clip.
/// </remarks>
public static class ClipSampler
{
    /// <summary>Returns the [start, end) sample range of each clip, with end capped at <paramref name="samples"/>.</summary>
    public static (int Start, int End)[] Place(int samples, int sampleRate, double clipSeconds, int clips)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clips);
        double duration = (double)samples / sampleRate;
        double maxStart = Math.Max(duration - clipSeconds, 0);
        var (maxNum, maxDen) = ToRational(maxStart);
        var (clipNum, clipDen) = ToRational(clipSeconds);
        var spans = new (int Start, int End)[clips];

        for (int k = 0; k < clips; k++)
        {
            // start = maxStart · k / (clips − 1); both bounds scaled by the rate, then truncated.
            BigInteger startNum = maxNum * k;
            BigInteger startDen = maxDen * Math.Max(clips - 1, 1);
            long start = (long)BigInteger.Divide(startNum * sampleRate, startDen);
            BigInteger endNum = startNum * clipDen + clipNum * startDen;
            long end = (long)BigInteger.Divide(endNum * sampleRate, startDen * clipDen);
            spans[k] = ((int)Math.Min(start, samples), (int)Math.Min(end, samples));
        }

        return spans;
    }

    /// <summary>Returns the exact value of a finite non-negative double as numerator / power-of-two denominator.</summary>
    private static (BigInteger Numerator, BigInteger Denominator) ToRational(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int exponent = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1;
        }
        else
        {
            mantissa |= 1L << 52;
        }

        int shift = exponent - 1075;
        return shift >= 0
            ? (new BigInteger(mantissa) << shift, BigInteger.One)
            : (new BigInteger(mantissa), BigInteger.One << -shift);
    }
}
