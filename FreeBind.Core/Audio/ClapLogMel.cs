namespace FreeBind.Audio;

/// <summary>
/// Log mel spectrogram in the style of LAION-CLAP's HTSAT audio encoder (48 kHz, n_fft 1024,
/// hop 480, 64 mel bins from 50 to 14000 Hz).
/// </summary>
/// <remarks>
/// Follows public facts about the Hugging Face <c>ClapFeatureExtractor</c> with
/// <c>truncation='rand_trunc', padding='repeatpad'</c>, with one deliberate change: a recording
/// longer than the segment is cut from the start, not at a random offset, so results are
/// repeatable. A shorter one is tiled a whole number of times (segment / length, truncated)
/// and then zero-padded. The STFT is centred with reflect padding and a periodic Hann window;
/// the power spectrum goes through Slaney-scale, Slaney-normalised mel filters (librosa's
/// default <c>filters.mel</c>), then 10·log10(max(x, 1e-10)) with no top_db clipping.
/// Checked against <c>torchaudio.transforms.MelSpectrogram(mel_scale='slaney',
/// norm='slaney', center=True, pad_mode='reflect')</c> from torchaudio 0.13.1 by the golden
/// test; not checked against LAION-CLAP's own code or a Hugging Face feature extractor.
/// Thread-safe.
/// </remarks>
public sealed class ClapLogMel
{
    private const double PowerFloor = 1e-10;

    private readonly MelFilterBank filters;
    private readonly double[] window;

    /// <summary>Creates the extractor.</summary>
    /// <param name="sampleRate">Sample rate in Hz; 48000 for LAION-CLAP.</param>
    /// <param name="segmentSamples">Samples per segment after repeat-padding or cutting; 480000 for 10 s.</param>
    /// <param name="fftSize">FFT and window size, a power of two; 1024 for LAION-CLAP.</param>
    /// <param name="hopLength">Hop in samples; 480 for LAION-CLAP.</param>
    /// <param name="melBins">Number of mel bins; 64 for LAION-CLAP.</param>
    /// <param name="lowHz">Lowest mel edge in Hz; 50 for LAION-CLAP.</param>
    /// <param name="highHz">Highest mel edge in Hz; 14000 for LAION-CLAP.</param>
    public ClapLogMel(
        int sampleRate = 48_000,
        int segmentSamples = 480_000,
        int fftSize = 1024,
        int hopLength = 480,
        int melBins = 64,
        double lowHz = 50,
        double highHz = 14_000)
    {
        if (segmentSamples <= fftSize / 2)
        {
            throw new ArgumentOutOfRangeException(nameof(segmentSamples), segmentSamples,
                $"the segment must be longer than half the FFT size ({fftSize / 2}) for reflect padding");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopLength);
        SegmentSamples = segmentSamples;
        FftSize = fftSize;
        HopLength = hopLength;
        MelBins = melBins;
        filters = MelFilterBank.Slaney(melBins, fftSize, sampleRate, lowHz, highHz);
        window = new double[fftSize];
        for (int n = 0; n < fftSize; n++)
        {
            window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / fftSize);
        }
    }

    /// <summary>Samples per segment.</summary>
    public int SegmentSamples { get; }

    /// <summary>FFT and window size in samples.</summary>
    public int FftSize { get; }

    /// <summary>Hop between frames in samples.</summary>
    public int HopLength { get; }

    /// <summary>Number of mel bins.</summary>
    public int MelBins { get; }

    /// <summary>Frames per segment: 1 + segment / hop.</summary>
    public int Frames => 1 + SegmentSamples / HopLength;

    /// <summary>Repeat-pads or cuts <paramref name="waveform"/> to one segment.</summary>
    /// <returns>A new array of <see cref="SegmentSamples"/> samples.</returns>
    public float[] FitSegment(ReadOnlySpan<float> waveform)
    {
        var segment = new float[SegmentSamples];
        if (waveform.Length >= SegmentSamples)
        {
            waveform[..SegmentSamples].CopyTo(segment);
            return segment;
        }

        if (waveform.IsEmpty)
        {
            return segment;
        }

        int repeats = SegmentSamples / waveform.Length;
        for (int r = 0; r < repeats; r++)
        {
            waveform.CopyTo(segment.AsSpan(r * waveform.Length));
        }

        return segment;
    }

    /// <summary>Computes the log mel spectrogram of one segment after <see cref="FitSegment"/>.</summary>
    /// <returns>A new array of shape [<see cref="Frames"/>, <see cref="MelBins"/>], row-major, in dB.</returns>
    public float[] Compute(ReadOnlySpan<float> waveform)
    {
        var segment = FitSegment(waveform);
        int pad = FftSize / 2;
        var output = new float[Frames * MelBins];
        var spectrum = new PowerSpectrum(FftSize);
        var frame = new double[FftSize];
        var power = new double[spectrum.Bins];
        var energies = new double[MelBins];

        for (int f = 0; f < Frames; f++)
        {
            int origin = f * HopLength - pad;
            for (int j = 0; j < FftSize; j++)
            {
                frame[j] = segment[Reflect(origin + j, segment.Length)] * window[j];
            }

            spectrum.Compute(frame, power);
            filters.Apply(power, energies);
            var row = output.AsSpan(f * MelBins, MelBins);
            for (int m = 0; m < MelBins; m++)
            {
                row[m] = (float)(10 * Math.Log10(Math.Max(energies[m], PowerFloor)));
            }
        }

        return output;
    }

    private static int Reflect(int index, int length)
    {
        if (index < 0)
        {
            return -index;
        }

        return index >= length ? 2 * (length - 1) - index : index;
    }
}
