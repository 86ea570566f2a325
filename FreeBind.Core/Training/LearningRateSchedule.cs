namespace FreeBind.Training;

/// <summary>
/// Learning-rate multiplier per step: linear warm-up, then constant or cosine decay.
/// </summary>
/// <remarks>
/// <c>step</c> is the zero-based index of the update being made (the number of updates already
/// done), as the lambda of PyTorch's <c>LambdaLR</c> sees it. Warm-up gives
/// <c>(step + 1) / WarmupSteps</c> for <c>step &lt; WarmupSteps</c>. Cosine then gives
/// <c>r + (1 − r) · (1 + cos(π · p)) / 2</c> with <c>p = min(1, (step − WarmupSteps) / max(1, TotalSteps − WarmupSteps))</c>
/// and <c>r = MinimumRatio</c>, so it stays at <c>r</c> after <see cref="TotalSteps"/>.
/// </remarks>
/// <param name="Kind">Constant (the default) or cosine after the warm-up.</param>
/// <param name="WarmupSteps">Steps of linear warm-up; 0 (the default) for none.</param>
/// <param name="TotalSteps">Step at which the cosine reaches its minimum; ignored by <see cref="LearningRateScheduleKind.Constant"/>.</param>
/// <param name="MinimumRatio">Final multiplier of the cosine, in [0, 1]; 0 by default.</param>
public sealed record LearningRateSchedule(
    LearningRateScheduleKind Kind = LearningRateScheduleKind.Constant,
    int WarmupSteps = 0,
    int TotalSteps = 0,
    double MinimumRatio = 0)
{
    /// <summary>Returns the multiplier of the base learning rate for update <paramref name="step"/> (zero-based).</summary>
    public double Factor(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
        {
            return (step + 1) / (double)WarmupSteps;
        }

        if (Kind == LearningRateScheduleKind.Constant)
        {
            return 1;
        }

        double progress = Math.Min(1.0, (step - WarmupSteps) / (double)Math.Max(1, TotalSteps - WarmupSteps));
        return MinimumRatio + (1 - MinimumRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    /// <summary>Checks the fields.</summary>
    /// <exception cref="ArgumentException">A step count is negative, the ratio is outside [0, 1], or cosine has no total.</exception>
    public void Validate()
    {
        if (WarmupSteps < 0)
        {
            throw new ArgumentException($"warm-up steps {WarmupSteps} is invalid; use 0 or more");
        }

        if (MinimumRatio is < 0 or > 1 || double.IsNaN(MinimumRatio))
        {
            throw new ArgumentException($"minimum learning-rate ratio {MinimumRatio} is invalid; use a value in [0, 1]");
        }

        if (Kind == LearningRateScheduleKind.Cosine && TotalSteps <= WarmupSteps)
        {
            throw new ArgumentException(
                $"cosine schedule total steps {TotalSteps} must exceed the warm-up steps {WarmupSteps}; set TotalSteps to the run's length");
        }
    }
}
