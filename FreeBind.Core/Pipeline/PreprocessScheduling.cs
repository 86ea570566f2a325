namespace FreeBind.Pipeline;

/// <summary>Whether a shard decodes and preprocesses items while its encoder runs a batch.</summary>
public enum PreprocessScheduling
{
    /// <summary>
    /// <see cref="Alternate"/> when the encoder runs on the CPU provider, <see cref="Overlap"/>
    /// when it runs on a GPU. The default.
    /// </summary>
    Auto,

    /// <summary>
    /// Preprocessing runs beside inference. Right when inference runs on a GPU and leaves the
    /// cores free.
    /// </summary>
    Overlap,

    /// <summary>
    /// New items start preprocessing only while no batch is in inference; reads from storage
    /// still overlap. On the CPU provider ONNX Runtime splits each operator over every core, and
    /// one core taken by a decoder stalls the whole operator, so taking turns is faster.
    /// </summary>
    Alternate,
}
