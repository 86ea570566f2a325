namespace FreeBind.Bonds.Runtime;

/// <summary>An encoder model to place in front of one input of a fusion graph.</summary>
/// <param name="Space">The plan input (space name) the encoder's embedding feeds.</param>
/// <param name="Model">The encoder's ONNX model bytes, with a symbolic batch dimension.</param>
/// <param name="Output">Encoder output holding the embedding.</param>
/// <param name="Pooling">none, mean, masked-mean or first, as in the spaces file.</param>
/// <param name="Normalize">L2-normalise the pooled vector.</param>
/// <param name="AttentionMask">Encoder input used as the mask by masked-mean pooling, or null.</param>
public sealed record EncoderGraph(
    string Space, byte[] Model, string Output, string Pooling, bool Normalize, string? AttentionMask = null);
