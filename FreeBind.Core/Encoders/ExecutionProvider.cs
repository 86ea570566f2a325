namespace FreeBind.Encoders;

/// <summary>Which ONNX Runtime execution provider encoders ask for.</summary>
public enum ExecutionProvider
{
    /// <summary>CUDA when it loads, otherwise CPU with one warning.</summary>
    Auto,

    /// <summary>CUDA or a start-up error.</summary>
    Cuda,

    /// <summary>CPU only.</summary>
    Cpu,
}
