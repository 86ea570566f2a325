namespace FreeBind.Pipeline;

/// <summary>Whether a shard decodes and preprocesses items while its encoder runs a batch.</summary>
public enum PreprocessScheduling
{
    /// <summary>Preprocessing runs beside inference. The default.</summary>
    Overlap,

    /// <summary>
    /// New items start preprocessing only while no batch is in inference; reads from storage
    /// still overlap. Meant for the CPU provider, where ONNX Runtime splits each operator over
    /// every core and a decoder holding one core can stall the whole operator.
    /// </summary>
    /// <remarks>
    /// NOTE: on the 2-core benchmark machine it measured no better than Overlap (pipeline / bare
    /// 0.77 against 0.80, runs two hours apart), so it is not the default.
    /// </remarks>
    Alternate,
}
