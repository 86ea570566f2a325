namespace FreeBind.Audio;

/// <summary>Triangular mel filters over the bins of a power spectrum, stored sparsely.</summary>
/// <remarks>Immutable and thread-safe once built.</remarks>
internal sealed class MelFilterBank
{
    private readonly int[] firstBin;
    private readonly double[][] weights;

    private MelFilterBank(int[] firstBin, double[][] weights)
    {
        this.firstBin = firstBin;
        this.weights = weights;
    }

    /// <summary>Number of mel filters.</summary>
    public int Count => weights.Length;

    /// <summary>
    /// Builds the Kaldi filter bank as <c>torchaudio.compliance.kaldi.get_mel_banks</c> does:
    /// HTK mel scale 1127·ln(1 + f/700), filters evenly spaced in mel between
    /// <paramref name="lowHz"/> and <paramref name="highHz"/>, triangles evaluated in mel, no
    /// area normalisation, and a zero weight for the Nyquist bin.
    /// </summary>
    public static MelFilterBank Kaldi(int melBins, int fftSize, double sampleRate, double lowHz, double highHz)
    {
        int bins = fftSize / 2 + 1;
        double binWidth = sampleRate / fftSize;
        double melLow = KaldiMel(lowHz);
        double melHigh = KaldiMel(highHz);
        double delta = (melHigh - melLow) / (melBins + 1);
        var matrix = new double[melBins, bins];

        for (int m = 0; m < melBins; m++)
        {
            double left = melLow + m * delta;
            double center = melLow + (m + 1.0) * delta;
            double right = melLow + (m + 2.0) * delta;
            for (int k = 0; k < bins - 1; k++)
            {
                double mel = KaldiMel(binWidth * k);
                double up = (mel - left) / (center - left);
                double down = (right - mel) / (right - center);
                matrix[m, k] = Math.Max(0, Math.Min(up, down));
            }
        }

        return FromDense(matrix);
    }

    /// <summary>
    /// Builds the Slaney-style filter bank of librosa's default <c>filters.mel</c> (and of
    /// torchaudio's <c>melscale_fbanks</c> with <c>mel_scale='slaney', norm='slaney'</c>):
    /// mel scale linear below 1 kHz and logarithmic above, triangles evaluated in Hz at bin
    /// frequencies <c>k·sr/fftSize</c>, each scaled by 2 / (right Hz − left Hz).
    /// </summary>
    public static MelFilterBank Slaney(int melBins, int fftSize, double sampleRate, double lowHz, double highHz)
    {
        int bins = fftSize / 2 + 1;
        double melLow = SlaneyMel(lowHz);
        double melHigh = SlaneyMel(highHz);
        var edges = new double[melBins + 2];
        for (int i = 0; i < edges.Length; i++)
        {
            edges[i] = SlaneyHz(melLow + (melHigh - melLow) * i / (melBins + 1));
        }

        var matrix = new double[melBins, bins];
        for (int m = 0; m < melBins; m++)
        {
            double norm = 2.0 / (edges[m + 2] - edges[m]);
            for (int k = 0; k < bins; k++)
            {
                double hz = sampleRate / 2 * k / (bins - 1);
                double up = (hz - edges[m]) / (edges[m + 1] - edges[m]);
                double down = (edges[m + 2] - hz) / (edges[m + 2] - edges[m + 1]);
                matrix[m, k] = Math.Max(0, Math.Min(up, down)) * norm;
            }
        }

        return FromDense(matrix);
    }

    /// <summary>Writes each filter's weighted sum of <paramref name="power"/> to <paramref name="energies"/>.</summary>
    public void Apply(ReadOnlySpan<double> power, Span<double> energies)
    {
        for (int m = 0; m < weights.Length; m++)
        {
            var w = weights[m];
            var p = power.Slice(firstBin[m], w.Length);
            double sum = 0;
            for (int k = 0; k < w.Length; k++)
            {
                sum += w[k] * p[k];
            }

            energies[m] = sum;
        }
    }

    private static double KaldiMel(double hz) => 1127.0 * Math.Log(1.0 + hz / 700.0);

    private static double SlaneyMel(double hz) =>
        hz < 1000 ? 3 * hz / 200 : 15 + Math.Log(hz / 1000) / (Math.Log(6.4) / 27);

    private static double SlaneyHz(double mel) =>
        mel < 15 ? 200 * mel / 3 : 1000 * Math.Exp((Math.Log(6.4) / 27) * (mel - 15));

    private static MelFilterBank FromDense(double[,] matrix)
    {
        int count = matrix.GetLength(0);
        int bins = matrix.GetLength(1);
        var first = new int[count];
        var weights = new double[count][];
        for (int m = 0; m < count; m++)
        {
            int lo = 0;
            while (lo < bins && matrix[m, lo] == 0)
            {
                lo++;
            }

            int hi = bins - 1;
            while (hi >= lo && matrix[m, hi] == 0)
            {
                hi--;
            }

            first[m] = Math.Min(lo, bins - 1);
            weights[m] = new double[Math.Max(hi - lo + 1, 0)];
            for (int k = lo; k <= hi; k++)
            {
                weights[m][k - lo] = matrix[m, k];
            }
        }

        return new MelFilterBank(first, weights);
    }
}
