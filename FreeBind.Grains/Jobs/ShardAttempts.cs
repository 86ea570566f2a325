namespace FreeBind.Jobs;

/// <summary>
/// Counts the calls a job makes for one shard and decides whether a failed call is tried again.
/// </summary>
/// <remarks>
/// A call that failed because its silo was lost (killed, or unreachable while the cluster has not
/// yet declared it dead) does not use up one of the <see cref="MaxAttempts"/> attempts: placement
/// keeps choosing a killed silo until membership removes it (Orleans 10's defaults: about 15 s,
/// longer on a loaded machine), and a call to it fails within milliseconds, so three attempts
/// could all land on it. Such calls are instead repeated after a growing pause until
/// <see cref="LostSiloBudget"/> of pauses is spent, which covers membership's decision with room
/// to spare and still ends a job whose silos are all gone.
/// Each call gets its own grain key, so each may be placed on another silo.
/// </remarks>
internal sealed class ShardAttempts(string keyPrefix)
{
    /// <summary>Failed attempts after which a shard is given up.</summary>
    public const int MaxAttempts = 3;

    /// <summary>The most time a shard spends pausing after calls that lost their silo.</summary>
    public static readonly TimeSpan LostSiloBudget = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(8);

    private int calls;
    private TimeSpan paused;
    private TimeSpan nextPause = FirstPause;

    /// <summary>Failed attempts counted so far.</summary>
    public int Failed { get; private set; }

    /// <summary>Whether another call may be made.</summary>
    public bool CanTry => Failed < MaxAttempts;

    /// <summary>The attempt the next call counts as, from 1.</summary>
    public int Attempt => Failed + 1;

    /// <summary>Returns a new grain key for the next call: the prefix, then the call's number.</summary>
    public string NextKey() => $"{keyPrefix}/{++calls}";

    /// <summary>
    /// Records a failed call and returns how long to pause before the next one: zero for an
    /// ordinary failure, which uses up an attempt, and a growing pause for a call that lost its
    /// silo, which does not until <see cref="LostSiloBudget"/> is spent.
    /// </summary>
    public TimeSpan RecordFailure(Exception exception)
    {
        if (IsLostSilo(exception) && paused + nextPause <= LostSiloBudget)
        {
            var pause = nextPause;
            paused += pause;
            nextPause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks));
            return pause;
        }

        Failed++;
        return TimeSpan.Zero;
    }

    /// <summary>
    /// Returns whether a call failed because the silo it was sent to is gone or unreachable, as
    /// opposed to failing in the grain's own work.
    /// </summary>
    public static bool IsLostSilo(Exception exception) =>
        exception is SiloUnavailableException or OrleansMessageRejectionException
        || exception.InnerException is { } inner && IsLostSilo(inner);
}
