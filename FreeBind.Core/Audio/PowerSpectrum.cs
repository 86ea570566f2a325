namespace FreeBind.Audio;

/// <summary>
/// Power spectrum |FFT(x)|² of real frames of one power-of-two size, in float64. The real frame of
/// size N is packed into N/2 complex values, transformed by an iterative radix-2 FFT of size N/2,
/// and unpacked into the N/2 + 1 bins of the full transform.
/// </summary>
/// <remarks>
/// Written here, not taken from FftSharp, so that each frame is transformed in place in
/// caller-owned buffers with cached twiddles and no allocation per frame. The packing halves the
/// work of a complex FFT of size N, which matters because the FFT took most of the audio
/// preprocessing time when the demo's embedding step was profiled. Instances are not thread-safe:
/// each call to a feature extractor makes its own.
/// </remarks>
internal sealed class PowerSpectrum
{
    private readonly int size;
    private readonly int half;
    private readonly int[] bitReversed;

    // exp(−2πik/N) for k in [0, N/2): the unpacking step uses every k, the FFT of size N/2 every even k.
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
        half = size / 2;
        re = new double[half];
        im = new double[half];
        cos = new double[half];
        sin = new double[half];
        for (int k = 0; k < half; k++)
        {
            cos[k] = Math.Cos(-2 * Math.PI * k / size);
            sin[k] = Math.Sin(-2 * Math.PI * k / size);
        }

        bitReversed = new int[half];
        int bits = System.Numerics.BitOperations.Log2((uint)half);
        for (int i = 0; i < half; i++)
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
    public int Bins => half + 1;

    /// <summary>Writes the power of bins 0..size/2 of <paramref name="frame"/>, zero-padded to the FFT size.</summary>
    public void Compute(ReadOnlySpan<double> frame, Span<double> power)
    {
        // z[n] = x[2n] + i·x[2n+1], stored in bit-reversed order for the in-place FFT.
        for (int i = 0; i < half; i++)
        {
            int source = 2 * bitReversed[i];
            re[i] = source < frame.Length ? frame[source] : 0;
            im[i] = source + 1 < frame.Length ? frame[source + 1] : 0;
        }

        for (int span = 1; span < half; span <<= 1)
        {
            // The FFT of size N/2 uses exp(−2πik/(N/2)) = exp(−2πi(2k)/N).
            int step = size / span;
            for (int start = 0; start < half; start += 2 * span)
            {
                for (int k = 0; k < span; k++)
                {
                    double wr = cos[k * step / 2];
                    double wi = sin[k * step / 2];
                    int a = start + k;
                    int b = a + span;
                    double tr = re[b] * wr - im[b] * wi;
                    double ti = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - tr;
                    im[b] = im[a] - ti;
                    re[a] += tr;
                    im[a] += ti;
                }
            }
        }

        // X[0] and X[N/2] come from Z[0] alone: the sums and differences of the even and odd parts.
        power[0] = (re[0] + im[0]) * (re[0] + im[0]);
        power[half] = (re[0] - im[0]) * (re[0] - im[0]);

        // X[k] = E[k] + exp(−2πik/N)·O[k], with E[k] = (Z[k] + conj Z[N/2−k]) / 2 the transform of
        // the even samples and O[k] = (Z[k] − conj Z[N/2−k]) / 2i that of the odd samples.
        for (int k = 1; k < half; k++)
        {
            double ar = re[k];
            double ai = im[k];
            double br = re[half - k];
            double bi = im[half - k];
            double evenRe = 0.5 * (ar + br);
            double evenIm = 0.5 * (ai - bi);
            double oddRe = 0.5 * (ai + bi);
            double oddIm = 0.5 * (br - ar);
            double xr = evenRe + cos[k] * oddRe - sin[k] * oddIm;
            double xi = evenIm + cos[k] * oddIm + sin[k] * oddRe;
            power[k] = xr * xr + xi * xi;
        }
    }
}
