namespace FreeBind.Audio;

/// <summary>
/// Power spectrum |FFT(x)|² of real frames of one power-of-two size, by an iterative radix-2
/// FFT in float64.
/// </summary>
/// <remarks>
/// Written here, not taken from FftSharp, so that each frame is transformed in place in
/// caller-owned buffers with cached twiddles and no allocation per frame. Instances are not
/// thread-safe: each call to a feature extractor makes its own.
/// </remarks>
internal sealed class PowerSpectrum
{
    private readonly int size;
    private readonly int[] bitReversed;
    private readonly double[] cos;
    private readonly double[] sin;
    private readonly double[] re;
    private readonly double[] im;

    public PowerSpectrum(int size)
    {
        if (size < 2 || (size & (size - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, "FFT size must be a power of two of at least 2.");
        }

        this.size = size;
        re = new double[size];
        im = new double[size];
        cos = new double[size / 2];
        sin = new double[size / 2];
        for (int k = 0; k < size / 2; k++)
        {
            cos[k] = Math.Cos(-2 * Math.PI * k / size);
            sin[k] = Math.Sin(-2 * Math.PI * k / size);
        }

        bitReversed = new int[size];
        int bits = System.Numerics.BitOperations.Log2((uint)size);
        for (int i = 0; i < size; i++)
        {
            int r = 0;
            for (int b = 0; b < bits; b++)
            {
                r |= ((i >> b) & 1) << (bits - 1 - b);
            }

            bitReversed[i] = r;
        }
    }

    /// <summary>Number of output bins, size / 2 + 1.</summary>
    public int Bins => size / 2 + 1;

    /// <summary>Writes the power of bins 0..size/2 of <paramref name="frame"/>, zero-padded to the FFT size.</summary>
    public void Compute(ReadOnlySpan<double> frame, Span<double> power)
    {
        for (int i = 0; i < size; i++)
        {
            int source = bitReversed[i];
            re[i] = source < frame.Length ? frame[source] : 0;
            im[i] = 0;
        }

        for (int half = 1; half < size; half <<= 1)
        {
            int step = size / (2 * half);
            for (int start = 0; start < size; start += 2 * half)
            {
                for (int k = 0; k < half; k++)
                {
                    double wr = cos[k * step];
                    double wi = sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }

        for (int k = 0; k < Bins; k++)
        {
            power[k] = re[k] * re[k] + im[k] * im[k];
        }
    }
}
