namespace FreeBind.Pipeline;

/// <summary>
/// Lets preprocessing workers wait while any batch is in inference. Inference streams close the
/// gate around each batch; it opens again when the last running batch ends. Any number of
/// workers wait on it.
/// </summary>
internal sealed class InferenceGate
{
    private readonly bool enabled;
    private readonly Lock sync = new();
    private TaskCompletionSource opened = CreateOpened();
    private int running;

    /// <summary>Creates a gate; a disabled gate never closes.</summary>
    public InferenceGate(bool enabled) => this.enabled = enabled;

    /// <summary>Completes when no batch is in inference (at once for a disabled gate).</summary>
    public Task WaitOpenAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref opened).Task.WaitAsync(cancellationToken);

    /// <summary>Closes the gate before a batch runs; dispose the result when the batch ends.</summary>
    public Closed Close()
    {
        if (enabled)
        {
            lock (sync)
            {
                if (running++ == 0)
                {
                    Volatile.Write(ref opened, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
                }
            }
        }

        return new Closed(this);
    }

    private void Open()
    {
        if (enabled)
        {
            lock (sync)
            {
                if (--running == 0)
                {
                    opened.TrySetResult();
                }
            }
        }
    }

    private static TaskCompletionSource CreateOpened()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    /// <summary>Opens the gate when disposed.</summary>
    public readonly struct Closed(InferenceGate gate) : IDisposable
    {
        /// <inheritdoc />
        public void Dispose() => gate.Open();
    }
}
