using FreeBind.Media;

namespace FreeBind.Evaluation.Search;

/// <summary>One searched factor: a bond's factor for one modality.</summary>
/// <param name="Bond">Bond name.</param>
/// <param name="Modality">Modality the factor applies to.</param>
public sealed record SweepAxis(string Bond, Modality Modality)
{
    /// <summary>Label such as <c>c-clap/audio</c>.</summary>
    public override string ToString() => $"{Bond}/{Modality.ToName()}";
}
