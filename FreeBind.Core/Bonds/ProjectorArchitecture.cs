namespace FreeBind.Bonds;

/// <summary>
/// Shape of one projector: Linear(in → hidden) → BatchNorm1d(hidden) → activation →
/// Linear(hidden → out) → BatchNorm1d(out) → L2 normalise.
/// </summary>
/// <param name="InputDimension">Input embedding dimension.</param>
/// <param name="HiddenDimension">Hidden width; FreeBind uses 2048.</param>
/// <param name="OutputDimension">Output embedding dimension.</param>
/// <param name="Activation">relu (default), gelu (exact, erf-based), silu or tanh.</param>
/// <param name="BatchNorm">False when the checkpoint has no BatchNorm layers.</param>
/// <param name="Epsilon">BatchNorm epsilon; PyTorch's default 1e-5.</param>
public sealed record ProjectorArchitecture(
    int InputDimension,
    int HiddenDimension,
    int OutputDimension,
    string Activation = "relu",
    bool BatchNorm = true,
    float Epsilon = 1e-5f);
