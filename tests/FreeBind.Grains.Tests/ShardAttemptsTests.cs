using System.Runtime.CompilerServices;

using FreeBind.Jobs;

namespace FreeBind.Tests;

public sealed class ShardAttemptsTests
{
    [Fact]
    public void OrdinaryFailures_UseUpTheAttempts()
    {
        var attempts = new ShardAttempts("job/4");

        var pauses = new List<TimeSpan>();
        while (attempts.CanTry)
        {
            attempts.NextKey();
            pauses.Add(attempts.RecordFailure(new InvalidDataException("bad shard")));
        }

        Assert.Equal(ShardAttempts.MaxAttempts, pauses.Count);
        Assert.All(pauses, pause => Assert.Equal(TimeSpan.Zero, pause));
    }

    [Fact]
    public void LostSilo_PausesUntilBudgetSpent()
    {
        // A killed silo fails every call within milliseconds until membership declares it dead,
        // which takes about 15 s with Orleans' defaults.
        var attempts = new ShardAttempts("job/4");
        var lost = new SiloUnavailableException("The target silo became unavailable");

        var paused = TimeSpan.Zero;
        var calls = 0;
        while (attempts.CanTry)
        {
            attempts.NextKey();
            calls++;
            paused += attempts.RecordFailure(lost);
            if (attempts.Failed == 0)
            {
                Assert.Equal(1, attempts.Attempt);
            }
        }

        Assert.True(paused >= TimeSpan.FromSeconds(60), $"paused only {paused} for a lost silo");
        Assert.True(paused <= ShardAttempts.LostSiloBudget, $"paused {paused}, over the budget");
        Assert.Equal(ShardAttempts.MaxAttempts, attempts.Failed);
        Assert.True(calls > ShardAttempts.MaxAttempts + 5, $"only {calls} calls");
    }

    [Fact]
    public void LostThenOrdinary_CountsOnlyOrdinary()
    {
        var attempts = new ShardAttempts("job/4");

        // Orleans raises this when it cannot connect to the silo; its constructors are internal.
        var rejected = (Exception)RuntimeHelpers.GetUninitializedObject(typeof(OrleansMessageRejectionException));
        var first = attempts.RecordFailure(rejected);
        var second = attempts.RecordFailure(new InvalidOperationException("model failed"));

        Assert.True(first > TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, second);
        Assert.Equal(1, attempts.Failed);
        Assert.Equal(2, attempts.Attempt);
    }

    [Fact]
    public void IsLostSilo_LooksThroughWrappers()
    {
        var wrapped = new AggregateException(new SiloUnavailableException("gone"));

        Assert.True(ShardAttempts.IsLostSilo(wrapped));
        Assert.False(ShardAttempts.IsLostSilo(new TimeoutException("shard took too long")));
        Assert.False(ShardAttempts.IsLostSilo(new AggregateException(new IOException("disk full"))));
    }

    [Fact]
    public void NextKey_IsNewForEachCall()
    {
        var attempts = new ShardAttempts("job/4");

        var keys = Enumerable.Range(0, 5).Select(_ => attempts.NextKey()).ToList();

        Assert.Equal(["job/4/1", "job/4/2", "job/4/3", "job/4/4", "job/4/5"], keys);
    }
}
