using FreeBind.Pipeline;

namespace FreeBind.Core.Tests.Pipeline;

public sealed class InferenceGateTests
{
    [Fact]
    public void Open_gate_lets_workers_through_at_once()
    {
        var gate = new InferenceGate(enabled: true);

        Assert.True(gate.WaitOpenAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task Closed_gate_holds_workers_until_the_batch_ends()
    {
        var gate = new InferenceGate(enabled: true);

        Task waiting;
        using (gate.Close())
        {
            waiting = gate.WaitOpenAsync(CancellationToken.None);
            Assert.False(waiting.IsCompleted);
        }

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(gate.WaitOpenAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public void Disabled_gate_never_holds_workers()
    {
        var gate = new InferenceGate(enabled: false);

        using (gate.Close())
        {
            Assert.True(gate.WaitOpenAsync(CancellationToken.None).IsCompletedSuccessfully);
        }
    }

    [Fact]
    public async Task Waiting_worker_can_be_cancelled()
    {
        var gate = new InferenceGate(enabled: true);
        using var cancellation = new CancellationTokenSource();

        using (gate.Close())
        {
            var waiting = gate.WaitOpenAsync(cancellation.Token);
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        }
    }

    [Fact]
    public async Task Gate_waits_for_last_batch()
    {
        var gate = new InferenceGate(enabled: true);

        var first = gate.Close();
        var second = gate.Close();
        var waiting = gate.WaitOpenAsync(CancellationToken.None);

        first.Dispose();
        Assert.False(waiting.IsCompleted);
        Assert.False(gate.WaitOpenAsync(CancellationToken.None).IsCompleted);

        second.Dispose();
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
