namespace FreeBind.Training;

/// <summary>Shape of the learning rate after the linear warm-up.</summary>
public enum LearningRateScheduleKind
{
    /// <summary>The base learning rate for every step after the warm-up.</summary>
    Constant,

    /// <summary>Half a cosine from the base rate down to <see cref="LearningRateSchedule.MinimumRatio"/> times it.</summary>
    Cosine,
}
