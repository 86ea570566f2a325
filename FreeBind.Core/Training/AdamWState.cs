namespace FreeBind.Training;

/// <summary>
/// AdamW optimiser state: the number of updates made and the first and second moment of every
/// trained parameter, keyed by <see cref="ProjectorParameterNames"/> names.
/// </summary>
public sealed class AdamWState
{
    /// <summary>Number of updates made so far (PyTorch's <c>state["step"]</c>).</summary>
    public long Step { get; set; }

    /// <summary>Exponential average of gradients (<c>exp_avg</c>) per parameter name.</summary>
    public Dictionary<string, float[]> FirstMoment { get; } = new(StringComparer.Ordinal);

    /// <summary>Exponential average of squared gradients (<c>exp_avg_sq</c>) per parameter name.</summary>
    public Dictionary<string, float[]> SecondMoment { get; } = new(StringComparer.Ordinal);
}
