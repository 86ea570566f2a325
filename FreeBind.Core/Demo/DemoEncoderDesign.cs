using FreeBind.Media;
using FreeBind.Spaces;

namespace FreeBind.Demo;

/// <summary>One encoder of the demo world: its declaration and how far it departs from the ideal read-out.</summary>
/// <param name="Space">Space name.</param>
/// <param name="Spec">Encoder declaration as written to spaces.json.</param>
/// <param name="Distortion">Scale σ of the random error matrix: the latent read-out is multiplied by I + σG/√16.</param>
/// <param name="Nuisance">Weight of modality-specific nuisance relative to the aligned signal, as a ratio of RMS values.</param>
/// <param name="AudibleOnly">
/// Whether the encoder reads only the audible half of the latent (sound and tempo words), as an
/// audio-text model that never saw images: its read-out target drops the visual dimensions and
/// its colour and texture words get zero rows.
/// </param>
internal sealed record DemoEncoderDesign(string Space, EncoderSpec Spec, double Distortion, double Nuisance, bool AudibleOnly = false)
{
    public Modality Modality => Spec.Modality;

    /// <summary>Model path relative to the world folder.</summary>
    public string ModelPath => Spec.Model;
}
