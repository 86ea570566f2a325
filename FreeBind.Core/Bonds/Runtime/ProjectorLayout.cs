namespace FreeBind.Bonds.Runtime;

/// <summary>How <see cref="FusionGraphBuilder"/> lays out the projectors of one ensemble.</summary>
public enum ProjectorLayout
{
    /// <summary>
    /// One Gemm per layer and member, bias and activation fused into it by ONNX Runtime; the
    /// members' normalised outputs are summed. The default: on the CPU provider it keeps each
    /// intermediate at [batch, hidden] and makes no copies between the layers.
    /// </summary>
    PerMember,

    /// <summary>
    /// The first layers of all members as one MatMul ([in, K·hidden]), the second layers as one
    /// batched MatMul over [K, batch, hidden]. Fewer, larger operators, at the cost of a
    /// transpose of the [batch, K·hidden] activations.
    /// </summary>
    Batched,
}
