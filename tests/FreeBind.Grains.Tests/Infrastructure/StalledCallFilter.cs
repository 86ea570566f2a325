using System.Collections.Concurrent;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// Delays one armed grain call until its caller cancels it, so a test can make a grain slow
/// without changing the grain. Every silo of <see cref="TrainingClusterFixture"/> runs it, and a
/// call that matches no armed stall passes straight through.
/// </summary>
public sealed class StalledCallFilter : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<(string GrainKey, string Method), Stall> Armed = new();

    /// <summary>
    /// Arms a stall of the call to <paramref name="method"/> on the grain with string key
    /// <paramref name="grainKey"/>, after letting <paramref name="skip"/> such calls through.
    /// The delayed call waits for its cancellation token, or <paramref name="limit"/> at most, and
    /// then runs as usual.
    /// </summary>
    public static Stall Arm(string grainKey, string method, int skip, TimeSpan limit)
    {
        var stall = new Stall(skip, limit);
        if (!Armed.TryAdd((grainKey, method), stall))
        {
            throw new InvalidOperationException($"a stall of {method} on '{grainKey}' is already armed; use a new job id.");
        }

        return stall;
    }

    /// <inheritdoc />
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        var armedKey = (context.TargetId.Key.ToString(), context.MethodName);
        if (Armed.TryGetValue(armedKey, out var stall) && stall.TryTake())
        {
            Armed.TryRemove(armedKey, out _);
            await stall.HoldAsync(context.Request.GetCancellationToken());
        }

        await context.Invoke();
    }

    /// <summary>One armed stall, which delays a single call.</summary>
    public sealed class Stall(int skip, TimeSpan limit)
    {
        private readonly TaskCompletionSource<bool> _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _remaining = skip;

        /// <summary>Completes when the armed call arrives and the delay begins.</summary>
        public Task Holding => _holding.Task;

        /// <summary>Completes with true when the caller cancelled the delayed call, or false when <c>limit</c> passed first.</summary>
        public Task<bool> Released => _released.Task;

        internal bool TryTake() => Interlocked.Decrement(ref _remaining) == -1;

        internal async Task HoldAsync(CancellationToken cancellationToken)
        {
            _holding.TrySetResult();
            try
            {
                await Task.Delay(limit, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                _released.TrySetResult(true);
                throw;
            }

            _released.TrySetResult(false);
        }
    }
}
