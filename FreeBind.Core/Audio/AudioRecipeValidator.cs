namespace FreeBind.Audio;

/// <summary>Checks an <see cref="AudioRecipe"/> and lists every problem.</summary>
internal static class AudioRecipeValidator
{
    /// <summary>Feature name for the ImageBind Kaldi filter bank.</summary>
    public const string KaldiFbank = "kaldiFbank";

    /// <summary>Feature name for the LAION-CLAP log mel spectrogram.</summary>
    public const string ClapLogMel = "clapLogMel";

    /// <summary>Feature name for raw mono samples.</summary>
    public const string Waveform = "waveform";

    /// <summary>Returns one message per invalid value; none when the recipe is valid.</summary>
    public static IEnumerable<string> Validate(AudioRecipe recipe)
    {
        if (string.IsNullOrWhiteSpace(recipe.Input))
        {
            yield return "audio recipe: input is empty; set it to the model's input name, for example 'audio'";
        }

        string? features = NormalizeFeatures(recipe.Features);
        if (features is null)
        {
            yield return $"audio recipe: features '{recipe.Features}' is unknown; use kaldiFbank, clapLogMel or waveform";
        }

        if (ParseDownmix(recipe.Downmix) is null)
        {
            yield return $"audio recipe: downmix '{recipe.Downmix}' is unknown; use average or first";
        }

        if (recipe.SampleRate is < 1000 or > 768_000)
        {
            yield return $"audio recipe: sampleRate {recipe.SampleRate} Hz is outside 1000-768000";
        }

        if (!(recipe.MaxSeconds > 0))
        {
            yield return $"audio recipe: maxSeconds {recipe.MaxSeconds} must be positive";
        }

        if (features is KaldiFbank or ClapLogMel)
        {
            foreach (string problem in ValidateSpectral(recipe, features))
            {
                yield return problem;
            }
        }
    }

    /// <summary>Returns the canonical feature name for <paramref name="features"/>, ignoring case, or null.</summary>
    public static string? NormalizeFeatures(string? features) => features?.Trim().ToLowerInvariant() switch
    {
        "kaldifbank" => KaldiFbank,
        "claplogmel" => ClapLogMel,
        "waveform" => Waveform,
        _ => null,
    };

    /// <summary>Parses the downmix name, ignoring case, or returns null.</summary>
    public static ChannelMix? ParseDownmix(string? downmix) => downmix?.Trim().ToLowerInvariant() switch
    {
        "average" => ChannelMix.Average,
        "first" => ChannelMix.First,
        _ => null,
    };

    private static IEnumerable<string> ValidateSpectral(AudioRecipe recipe, string features)
    {
        int minBins = features == KaldiFbank ? 4 : 1;
        if (recipe.MelBins < minBins || recipe.MelBins > 1024)
        {
            yield return $"audio recipe: melBins {recipe.MelBins} is outside {minBins}-1024";
        }

        if (!(recipe.FrameShiftMs > 0) || recipe.SampleRate * recipe.FrameShiftMs * 0.001 < 1)
        {
            yield return $"audio recipe: frameShiftMs {recipe.FrameShiftMs} must give at least one sample";
        }

        if (!(recipe.ClipSeconds > 0) || recipe.ClipSeconds > recipe.MaxSeconds)
        {
            yield return $"audio recipe: clipSeconds {recipe.ClipSeconds} must be positive and at most maxSeconds";
        }

        double nyquist = recipe.SampleRate / 2.0;
        double low = recipe.MinFrequency ?? (features == KaldiFbank ? 20 : 50);
        double high = recipe.MaxFrequency ?? (features == KaldiFbank ? 0 : 14_000);
        if (features == KaldiFbank && high <= 0)
        {
            high += nyquist;
        }

        if (!(low >= 0 && low < high && high <= nyquist))
        {
            yield return $"audio recipe: mel range {low}-{high} Hz must lie inside 0-{nyquist} Hz with min below max";
        }

        if (features == KaldiFbank)
        {
            if (!(recipe.FrameLengthMs > 0) || recipe.SampleRate * recipe.FrameLengthMs * 0.001 < 2)
            {
                yield return $"audio recipe: frameLengthMs {recipe.FrameLengthMs} must give at least 2 samples";
            }

            if (recipe.Clips is < 1 or > 64)
            {
                yield return $"audio recipe: clips {recipe.Clips} is outside 1-64";
            }

            if (recipe.ClipFrames is < 1 or > 100_000)
            {
                yield return $"audio recipe: clipFrames {recipe.ClipFrames} is outside 1-100000";
            }

            if (!float.IsFinite(recipe.Mean) || !float.IsFinite(recipe.Std) || recipe.Std == 0)
            {
                yield return $"audio recipe: mean {recipe.Mean} and std {recipe.Std} must be finite and std non-zero";
            }
        }
        else
        {
            bool powerOfTwo = recipe.FftSize >= 16 && (recipe.FftSize & (recipe.FftSize - 1)) == 0;
            if (!powerOfTwo || recipe.FftSize > 65_536)
            {
                yield return $"audio recipe: fftSize {recipe.FftSize} must be a power of two in 16-65536";
            }
            else if (recipe.ClipSeconds * recipe.SampleRate <= recipe.FftSize / 2)
            {
                yield return $"audio recipe: clipSeconds {recipe.ClipSeconds} is shorter than half of fftSize {recipe.FftSize}";
            }
        }
    }
}
