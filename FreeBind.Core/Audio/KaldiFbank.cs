namespace FreeBind.Audio;

/// <summary>
/// Kaldi-compatible log mel filter bank, equal to <c>torchaudio.compliance.kaldi.fbank</c> with
/// the arguments ImageBind passes: <c>htk_compat=True, use_energy=False,
/// window_type='hanning', dither=0.0</c>, and torchaudio's defaults for the rest
/// (<c>remove_dc_offset=True, preemphasis_coefficient=0.97, round_to_power_of_two=True,
/// snip_edges=True, use_power=True, use_log_fbank=True, low_freq=20, high_freq=0</c>).
/// </summary>
/// <remarks>
/// Per frame: subtract the frame mean, apply pre-emphasis x[j] − 0.97·x[j−1] (x[−1] = x[0]),
/// multiply by a symmetric Hann window, zero-pad to the next power of two, take |FFT|², apply
/// the mel filters and the natural log clamped at float32 epsilon (1.1920929e-7).
/// Computed in float64; torchaudio computes in the waveform's dtype. Thread-safe: each
/// <see cref="Compute"/> call uses its own buffers.
/// </remarks>
public sealed class KaldiFbank
{
    private const double Preemphasis = 0.97;
    private const double LogFloor = 1.1920928955078125e-07;

    private readonly MelFilterBank filters;
    private readonly double[] window;

    /// <summary>Creates a filter bank for one sample rate and frame layout.</summary>
    /// <param name="sampleRate">Sample rate in Hz.</param>
    /// <param name="melBins">Number of mel bins; torchaudio requires more than 3.</param>
    /// <param name="frameLengthMs">Frame length in milliseconds.</param>
    /// <param name="frameShiftMs">Frame shift in milliseconds.</param>
    /// <param name="lowHz">Lowest filter edge in Hz. Kaldi's default is 20.</param>
    /// <param name="highHz">Highest filter edge in Hz; 0 or less is relative to the Nyquist frequency.</param>
    public KaldiFbank(
        int sampleRate, int melBins, double frameLengthMs, double frameShiftMs, double lowHz = 20, double highHz = 0)
    {
        // Same arithmetic as torchaudio: int(sample_frequency * ms * 0.001).
        WindowSize = (int)(sampleRate * frameLengthMs * 0.001);
        WindowShift = (int)(sampleRate * frameShiftMs * 0.001);
        if (WindowSize < 2 || WindowShift < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(frameLengthMs),
                $"frame length {frameLengthMs} ms and shift {frameShiftMs} ms at {sampleRate} Hz give " +
                $"{WindowSize} and {WindowShift} samples; the window needs 2 or more and the shift 1 or more");
        }

        if (melBins <= 3)
        {
            throw new ArgumentOutOfRangeException(nameof(melBins), melBins, "Kaldi fbank needs more than 3 mel bins.");
        }

        FftSize = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)WindowSize);
        MelBins = melBins;
        double nyquist = sampleRate / 2.0;
        double high = highHz <= 0 ? highHz + nyquist : highHz;
        if (!(lowHz >= 0 && lowHz < nyquist && high > 0 && high <= nyquist && lowHz < high))
        {
            throw new ArgumentOutOfRangeException(nameof(lowHz),
                $"mel range {lowHz}-{high} Hz must lie inside 0-{nyquist} Hz at {sampleRate} Hz");
        }

        filters = MelFilterBank.Kaldi(melBins, FftSize, sampleRate, lowHz, high);
        window = new double[WindowSize];
        for (int n = 0; n < WindowSize; n++)
        {
            window[n] = 0.5 - 0.5 * Math.Cos(2 * Math.PI * n / (WindowSize - 1));
        }
    }

    /// <summary>Frame length in samples.</summary>
    public int WindowSize { get; }

    /// <summary>Frame shift in samples.</summary>
    public int WindowShift { get; }

    /// <summary>FFT size: the window length rounded up to a power of two.</summary>
    public int FftSize { get; }

    /// <summary>Number of mel bins per frame.</summary>
    public int MelBins { get; }

    /// <summary>Number of frames for <paramref name="samples"/> samples (snip_edges: only whole frames).</summary>
    public int FrameCount(int samples) => samples < WindowSize ? 0 : 1 + (samples - WindowSize) / WindowShift;

    /// <summary>Computes the log mel energies of every whole frame.</summary>
    /// <returns>A new array of shape [frames, <see cref="MelBins"/>], row-major.</returns>
    public float[] Compute(ReadOnlySpan<float> waveform)
    {
        int frames = FrameCount(waveform.Length);
        var output = new float[frames * MelBins];
        var spectrum = new PowerSpectrum(FftSize);
        var frame = new double[WindowSize];
        var power = new double[spectrum.Bins];
        var energies = new double[MelBins];

        for (int f = 0; f < frames; f++)
        {
            var source = waveform.Slice(f * WindowShift, WindowSize);
            double mean = 0;
            for (int j = 0; j < WindowSize; j++)
            {
                frame[j] = source[j];
                mean += source[j];
            }

            mean /= WindowSize;
            for (int j = 0; j < WindowSize; j++)
            {
                frame[j] -= mean;
            }

            // Backwards, so each step still sees the previous sample before its own pre-emphasis.
            for (int j = WindowSize - 1; j > 0; j--)
            {
                frame[j] = (frame[j] - Preemphasis * frame[j - 1]) * window[j];
            }

            frame[0] = (frame[0] - Preemphasis * frame[0]) * window[0];

            spectrum.Compute(frame, power);
            filters.Apply(power, energies);
            var row = output.AsSpan(f * MelBins, MelBins);
            for (int m = 0; m < MelBins; m++)
            {
                row[m] = (float)Math.Log(Math.Max(energies[m], LogFloor));
            }
        }

        return output;
    }
}
