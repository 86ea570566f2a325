namespace FreeBind.Audio;

/// <summary>A decoded recording, mixed down to one channel.</summary>
/// <remarks>The <see cref="Samples"/> array belongs to the caller, who may change it in place.</remarks>
/// <param name="SampleRate">Sample rate of <see cref="Samples"/> in Hz.</param>
/// <param name="Channels">Channel count of the source file before the mix-down.</param>
/// <param name="Samples">Mono samples scaled to [-1, 1) for integer sources.</param>
/// <param name="Encoding">Source encoding, for example "PCM 16-bit" or "IEEE float 32-bit".</param>
/// <param name="Warnings">Non-fatal findings such as a streaming data-chunk size.</param>
public sealed record DecodedAudio(
    int SampleRate,
    int Channels,
    float[] Samples,
    string Encoding,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Duration in seconds.</summary>
    public double DurationSeconds => (double)Samples.Length / SampleRate;
}
