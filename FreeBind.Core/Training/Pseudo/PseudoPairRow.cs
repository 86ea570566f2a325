using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>One training pair of a pseudo dataset.</summary>
/// <param name="QueryId">Corpus id of the query item.</param>
/// <param name="QueryModality">Modality of the query item.</param>
/// <param name="Source">L2-normalised embedding in the bond's source space (the projector's input).</param>
/// <param name="Target">L2-normalised embedding in the bond's target space (the projector's expected output).</param>
/// <param name="PseudoSide">Which side, if any, was made from memory-bank neighbours.</param>
public sealed record PseudoPairRow(string QueryId, Modality QueryModality, float[] Source, float[] Target, PseudoSide PseudoSide);
