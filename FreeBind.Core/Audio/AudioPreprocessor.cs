using System.Globalization;

using FreeBind.Media;

namespace FreeBind.Audio;

/// <summary>
/// Turns WAV bytes into one model input: decode and mix to mono, resample to the recipe's rate,
/// then compute the recipe's features.
/// </summary>
/// <remarks>
/// Output shapes, without the batch dimension: kaldiFbank [Clips, 1, MelBins, ClipFrames];
/// clapLogMel [1, frames, MelBins] with frames = 1 + segment / hop; waveform [samples].
/// The recipe's values are copied at construction. Thread-safe.
/// </remarks>
public sealed class AudioPreprocessor : IPreprocessor
{
    private readonly string input;
    private readonly string features;
    private readonly ChannelMix mix;
    private readonly int sampleRate;
    private readonly double maxSeconds;
    private readonly int clips;
    private readonly double clipSeconds;
    private readonly int clipFrames;
    private readonly float mean;
    private readonly float std;
    private readonly KaldiFbank? fbank;
    private readonly ClapLogMel? clap;

    /// <summary>Creates the preprocessor a valid recipe describes.</summary>
    /// <exception cref="ArgumentException">The recipe's features or downmix name is unknown.</exception>
    public AudioPreprocessor(AudioRecipe recipe)
    {
        input = recipe.Input;
        features = AudioRecipeValidator.NormalizeFeatures(recipe.Features)
            ?? throw new ArgumentException($"unknown audio features '{recipe.Features}'", nameof(recipe));
        mix = AudioRecipeValidator.ParseDownmix(recipe.Downmix)
            ?? throw new ArgumentException($"unknown downmix '{recipe.Downmix}'", nameof(recipe));
        sampleRate = recipe.SampleRate;
        maxSeconds = recipe.MaxSeconds;
        clips = recipe.Clips;
        clipSeconds = recipe.ClipSeconds;
        clipFrames = recipe.ClipFrames;
        mean = recipe.Mean;
        std = recipe.Std;

        if (features == AudioRecipeValidator.KaldiFbank)
        {
            fbank = new KaldiFbank(sampleRate, recipe.MelBins, recipe.FrameLengthMs, recipe.FrameShiftMs,
                recipe.MinFrequency ?? 20, recipe.MaxFrequency ?? 0);
        }
        else if (features == AudioRecipeValidator.ClapLogMel)
        {
            clap = new ClapLogMel(sampleRate, (int)Math.Round(clipSeconds * sampleRate), recipe.FftSize,
                (int)Math.Round(sampleRate * recipe.FrameShiftMs * 0.001), recipe.MelBins,
                recipe.MinFrequency ?? 50, recipe.MaxFrequency ?? 14_000);
        }
    }

    /// <inheritdoc />
    public Modality Modality => Modality.Audio;

    /// <inheritdoc />
    public PreprocessedItem Preprocess(ReadOnlyMemory<byte> data)
    {
        var decoded = WavDecoder.Decode(data.Span, maxSeconds, mix);
        var warnings = new List<string>(decoded.Warnings);
        // NOTE: the resampled waveform is float32, as in ImageBind. Against a float64 run of
        // ImageBind's code the kaldiFbank output differs by up to 4e-4 on pure test tones.
        var samples = SincResampler.Resample(decoded.Samples, decoded.SampleRate, sampleRate);

        NamedTensor tensor;
        if (fbank is not null)
        {
            if (samples.Length < fbank.WindowSize)
            {
                // ImageBind's own code fails on such a clip (division by zero), and padding alone
                // would give every short clip the same vector.
                throw new MediaException("preprocess", string.Create(CultureInfo.InvariantCulture,
                    $"audio is {samples.Length * 1000.0 / sampleRate:0.#} ms long, shorter than one fbank window of " +
                    $"{fbank.WindowSize * 1000.0 / sampleRate:0.#} ms, so it has no features to embed: use a longer recording"));
            }

            tensor = NamedTensor.Float(input, [clips, 1, fbank.MelBins, clipFrames], ComputeClips(samples, warnings));
        }
        else if (clap is not null)
        {
            if (samples.Length != clap.SegmentSamples)
            {
                string how = samples.Length > clap.SegmentSamples ? "cut to its start" : "repeated and zero-padded";
                warnings.Add(string.Create(CultureInfo.InvariantCulture,
                    $"audio of {samples.Length / (double)sampleRate:0.###} s {how} to {clipSeconds} s"));
            }

            tensor = NamedTensor.Float(input, [1, clap.Frames, clap.MelBins], clap.Compute(samples));
        }
        else
        {
            tensor = NamedTensor.Float(input, [samples.Length], samples);
        }

        return new PreprocessedItem([tensor], warnings);
    }

    /// <summary>Computes ImageBind's clips: place, subtract the clip mean, fbank, transpose, pad or cut, normalise.</summary>
    /// <remarks><paramref name="samples"/> is changed in place.</remarks>
    private float[] ComputeClips(float[] samples, List<string> warnings)
    {
        var kaldi = fbank!;
        int bins = kaldi.MelBins;
        var output = new float[clips * bins * clipFrames];
        float padValue = (0 - mean) / std;
        var spans = ClipSampler.Place(samples.Length, sampleRate, clipSeconds, clips);

        for (int c = 0; c < clips; c++)
        {
            var (start, end) = spans[c];
            var clip = samples.AsSpan(start, end - start);

            // ImageBind subtracts the clip mean in place on a view of the whole waveform, so an
            // overlapping later clip sees samples already shifted by an earlier clip's mean.
            SubtractMean(clip);

            var features = kaldi.Compute(clip);
            int frames = features.Length / bins;
            if (c == 0 && frames != clipFrames && Math.Abs(clipFrames - frames) > 0.2 * frames)
            {
                // One text per case, with no per-file numbers, so that the job counts them together.
                warnings.Add(frames < clipFrames
                    ? $"audio shorter than a {clipSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} s clip: fbank frames padded to {clipFrames}"
                    : $"audio clip gives more than {clipFrames} fbank frames: cut to {clipFrames}");
            }

            var block = output.AsSpan(c * bins * clipFrames, bins * clipFrames);
            block.Fill(padValue);
            int kept = Math.Min(frames, clipFrames);
            for (int t = 0; t < kept; t++)
            {
                for (int m = 0; m < bins; m++)
                {
                    block[m * clipFrames + t] = (features[t * bins + m] - mean) / std;
                }
            }
        }

        return output;
    }

    private static void SubtractMean(Span<float> clip)
    {
        if (clip.IsEmpty)
        {
            return;
        }

        double sum = 0;
        foreach (float value in clip)
        {
            sum += value;
        }

        float clipMean = (float)(sum / clip.Length);
        for (int i = 0; i < clip.Length; i++)
        {
            clip[i] -= clipMean;
        }
    }
}
