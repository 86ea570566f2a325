namespace FreeBind.Bonds;

/// <summary>
/// Parameters of one projector in PyTorch's layout: a Linear weight is [out, in], row-major.
/// BatchNorm arrays are null when <see cref="ProjectorArchitecture.BatchNorm"/> is false.
/// </summary>
public sealed class ProjectorWeights
{
    public required ProjectorArchitecture Architecture { get; init; }

    /// <summary>First Linear weight, [hidden, in].</summary>
    public required float[] Weight1 { get; init; }

    /// <summary>First Linear bias, [hidden].</summary>
    public required float[] Bias1 { get; init; }

    public float[]? Norm1Scale { get; init; }

    public float[]? Norm1Shift { get; init; }

    public float[]? Norm1RunningMean { get; init; }

    public float[]? Norm1RunningVariance { get; init; }

    /// <summary>Second Linear weight, [out, hidden].</summary>
    public required float[] Weight2 { get; init; }

    /// <summary>Second Linear bias, [out].</summary>
    public required float[] Bias2 { get; init; }

    public float[]? Norm2Scale { get; init; }

    public float[]? Norm2Shift { get; init; }

    public float[]? Norm2RunningMean { get; init; }

    public float[]? Norm2RunningVariance { get; init; }
}
