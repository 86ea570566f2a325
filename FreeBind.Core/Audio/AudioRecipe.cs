using FreeBind.Media;
using FreeBind.Spaces;

namespace FreeBind.Audio;

/// <summary>Audio preprocessing: decode WAV, mix to mono, resample, then compute features.</summary>
/// <remarks>
/// The defaults are the ImageBind audio transform: 16 kHz mono, Kaldi-compatible log-mel
/// filter bank with 128 bins, 25 ms window and 10 ms shift, 3 clips of 2 s each padded or cut
/// to 204 frames, normalised with mean -4.268 and standard deviation 9.138.
/// </remarks>
public sealed class AudioRecipe : PreprocessRecipe
{
    /// <summary>Model input name.</summary>
    public string Input { get; set; } = "audio";

    /// <summary>kaldiFbank (ImageBind), clapLogMel (LAION-CLAP HTSAT) or waveform (raw samples).</summary>
    public string Features { get; set; } = "kaldiFbank";

    /// <summary>Target sample rate in Hz. Default 16000.</summary>
    public int SampleRate { get; set; } = 16_000;

    /// <summary>Number of mel bins. Default 128.</summary>
    public int MelBins { get; set; } = 128;

    /// <summary>Analysis window length in milliseconds. Default 25.</summary>
    public double FrameLengthMs { get; set; } = 25;

    /// <summary>Hop between frames in milliseconds. Default 10.</summary>
    public double FrameShiftMs { get; set; } = 10;

    /// <summary>Number of clips sampled evenly over the recording. Default 3.</summary>
    public int Clips { get; set; } = 3;

    /// <summary>Length of one clip in seconds. Default 2.</summary>
    public double ClipSeconds { get; set; } = 2;

    /// <summary>Frames per clip after padding or cutting. Default 204.</summary>
    public int ClipFrames { get; set; } = 204;

    /// <summary>Mean subtracted from the features. Default -4.268.</summary>
    public float Mean { get; set; } = -4.268f;

    /// <summary>Standard deviation the features are divided by. Default 9.138.</summary>
    public float Std { get; set; } = 9.138f;

    /// <summary>Longest accepted recording in seconds; longer ones are rejected. Default 3600.</summary>
    public double MaxSeconds { get; set; } = 3600;

    /// <summary>
    /// How channels become one: average (default) or first. ImageBind's reference code takes
    /// channel 0 of a stereo file, so use first to reproduce it exactly.
    /// </summary>
    public string Downmix { get; set; } = "average";

    /// <summary>Lowest mel filter edge in Hz. Default 20 for kaldiFbank, 50 for clapLogMel.</summary>
    public double? MinFrequency { get; set; }

    /// <summary>
    /// Highest mel filter edge in Hz. Default the Nyquist frequency for kaldiFbank (where 0 or
    /// less is relative to it, as in Kaldi) and 14000 for clapLogMel.
    /// </summary>
    public double? MaxFrequency { get; set; }

    /// <summary>FFT and window size in samples for clapLogMel, a power of two. Default 1024.</summary>
    public int FftSize { get; set; } = 1024;

    /// <inheritdoc />
    /// <remarks>kaldiFbank uses every property; clapLogMel uses SampleRate, MelBins,
    /// FrameShiftMs (the hop), ClipSeconds (the segment), FftSize and the frequency range;
    /// waveform uses SampleRate and MaxSeconds.</remarks>
    public override IEnumerable<string> Validate(string baseDirectory) => AudioRecipeValidator.Validate(this);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The recipe is invalid; the message lists every problem.</exception>
    public override IPreprocessor CreatePreprocessor(string baseDirectory)
    {
        var problems = AudioRecipeValidator.Validate(this).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid audio recipe: " + string.Join("; ", problems));
        }

        return new AudioPreprocessor(this);
    }
}
