using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>
/// Everything that changes while a projector trains: its weights (updated in place), the log of
/// the logit scale, the AdamW state and the BatchNorm batch count.
/// </summary>
public sealed class ProjectorTrainingState
{
    private readonly float[] _logScale = new float[1];

    /// <summary>Creates a state that starts from <paramref name="weights"/> and a log-scale of <c>log(1/τ)</c>.</summary>
    /// <param name="weights">Initial weights; the state keeps and updates this object, so copy it first to keep the original.</param>
    /// <param name="options">Training options; <see cref="TrainingOptions.Temperature"/> sets the initial scale.</param>
    /// <exception cref="ArgumentException">The weights do not match their architecture.</exception>
    public ProjectorTrainingState(ProjectorWeights weights, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        ProjectorMath.Validate(weights);
        Weights = weights;
        _logScale[0] = (float)Math.Log(1 / options.Temperature);
    }

    /// <summary>Projector weights, updated in place by every step.</summary>
    public ProjectorWeights Weights { get; }

    /// <summary>Log of the logit scale; trained only when <see cref="TrainingOptions.LearnableTemperature"/> is set.</summary>
    public float LogScale
    {
        get => _logScale[0];
        set => _logScale[0] = value;
    }

    /// <summary>AdamW moments and update count.</summary>
    public AdamWState Optimizer { get; } = new();

    /// <summary>Number of training batches the BatchNorm running statistics have seen (<c>num_batches_tracked</c>).</summary>
    public long BatchesTracked { get; set; }

    /// <summary>Returns the logit scale a step uses: 1/τ, or exp(log-scale) clamped to the maximum when learnable.</summary>
    public float Scale(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.LearnableTemperature
            ? (float)Math.Min(Math.Exp(_logScale[0]), options.MaximumScale)
            : (float)(1 / options.Temperature);
    }

    /// <summary>Returns the trained parameter arrays by name; "log_scale" comes last and only when <paramref name="learnableTemperature"/> is set.</summary>
    public IEnumerable<(string Name, float[] Values)> NamedParameters(bool learnableTemperature)
    {
        ProjectorWeights w = Weights;
        foreach ((string name, float[] values) in ProjectorParameterNames.Pair(
            w.Architecture, w.Weight1, w.Bias1, w.Norm1Scale, w.Norm1Shift, w.Weight2, w.Bias2, w.Norm2Scale, w.Norm2Shift))
        {
            yield return (name, values);
        }

        if (learnableTemperature)
        {
            yield return (ProjectorParameterNames.LogScale, _logScale);
        }
    }
}
