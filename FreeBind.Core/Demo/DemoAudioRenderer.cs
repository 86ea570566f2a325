namespace FreeBind.Demo;

/// <summary>Renders a latent vector as a 3-second, 16 kHz, mono 16-bit PCM WAV file: a chord of 20 tones plus noise.</summary>
/// <remarks>
/// Tone b sits at a fixed frequency between 250 and 7000 Hz (log-spaced) with amplitude
/// 0.015 × exp(0.35 × (audio map · latent)_b), so its log energy in a mel filter bank is linear
/// in the latent. Per item: a gain of ±6 dB, band level jitter (σ 0.15 in natural log), random
/// phases, a tremolo of 1-6 Hz and depth up to 0.5, and white noise at amplitude 0.002-0.01.
/// </remarks>
internal static class DemoAudioRenderer
{
    /// <summary>Sample rate of the written files in Hz.</summary>
    public const int SampleRate = 16_000;

    /// <summary>Length of the written files in seconds.</summary>
    public const double Seconds = 3;

    private const double LowestHz = 250;
    private const double HighestHz = 7000;

    public static byte[] Render(DemoWorldModel world, IReadOnlyList<double> latent, DemoRandom random)
    {
        var levels = DemoWorldModel.Apply(world.AudioMap, latent);
        var gain = Math.Pow(10, random.Uniform(-6, 6) / 20);
        var amplitudes = new double[levels.Length];
        var phases = new double[levels.Length];
        var steps = new double[levels.Length];
        for (var b = 0; b < levels.Length; b++)
        {
            amplitudes[b] = 0.015 * gain * Math.Exp((0.35 * levels[b]) + (0.15 * random.NextGaussian()));
            phases[b] = random.Uniform(0, 2 * Math.PI);
            var frequency = LowestHz * Math.Pow(HighestHz / LowestHz, b / (double)(levels.Length - 1));
            steps[b] = 2 * Math.PI * frequency / SampleRate;
        }

        var cosines = steps.Select(Math.Cos).ToArray();
        var sines = steps.Select(Math.Sin).ToArray();
        var tremoloStep = 2 * Math.PI * random.Uniform(1, 6) / SampleRate;
        var tremoloDepth = random.Uniform(0, 0.5);
        var noise = random.Uniform(0.002, 0.01);

        var count = (int)(Seconds * SampleRate);
        var samples = new double[count];
        var real = new double[amplitudes.Length];
        var imaginary = new double[amplitudes.Length];
        for (var b = 0; b < amplitudes.Length; b++)
        {
            real[b] = Math.Cos(phases[b]);
            imaginary[b] = Math.Sin(phases[b]);
        }

        double peak = 0;
        for (var n = 0; n < count; n++)
        {
            // Each tone is a unit phasor rotated by its step per sample; re-anchored every second
            // so rounding errors do not accumulate.
            double value = 0;
            for (var b = 0; b < amplitudes.Length; b++)
            {
                if (n % SampleRate == 0)
                {
                    real[b] = Math.Cos(phases[b] + (steps[b] * n));
                    imaginary[b] = Math.Sin(phases[b] + (steps[b] * n));
                }

                value += amplitudes[b] * imaginary[b];
                var rotatedReal = (real[b] * cosines[b]) - (imaginary[b] * sines[b]);
                imaginary[b] = (real[b] * sines[b]) + (imaginary[b] * cosines[b]);
                real[b] = rotatedReal;
            }

            value *= 1 - (tremoloDepth * 0.5 * (1 + Math.Sin(tremoloStep * n)));
            value += noise * (random.NextDouble() + random.NextDouble() - 1) * 1.7;
            samples[n] = value;
            peak = Math.Max(peak, Math.Abs(value));
        }

        var scale = peak > 0.9 ? 0.9 / peak : 1;
        var pcm = new short[count];
        for (var n = 0; n < count; n++)
        {
            pcm[n] = (short)Math.Round(samples[n] * scale * short.MaxValue);
        }

        return DemoWavWriter.WritePcm16(pcm, SampleRate);
    }
}
