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

    /// <summary>Returns a deep copy whose arrays the caller may change without touching these weights.</summary>
    public ProjectorWeights Copy() => new()
    {
        Architecture = Architecture,
        Weight1 = (float[])Weight1.Clone(),
        Bias1 = (float[])Bias1.Clone(),
        Norm1Scale = (float[]?)Norm1Scale?.Clone(),
        Norm1Shift = (float[]?)Norm1Shift?.Clone(),
        Norm1RunningMean = (float[]?)Norm1RunningMean?.Clone(),
        Norm1RunningVariance = (float[]?)Norm1RunningVariance?.Clone(),
        Weight2 = (float[])Weight2.Clone(),
        Bias2 = (float[])Bias2.Clone(),
        Norm2Scale = (float[]?)Norm2Scale?.Clone(),
        Norm2Shift = (float[]?)Norm2Shift?.Clone(),
        Norm2RunningMean = (float[]?)Norm2RunningMean?.Clone(),
        Norm2RunningVariance = (float[]?)Norm2RunningVariance?.Clone(),
    };
}
