namespace FreeBind.Pipeline;

/// <summary>
/// Lets preprocessing workers wait while a batch is in inference. Only the single inference
/// loop closes and opens the gate; any number of workers wait on it.
/// </summary>
internal sealed class InferenceGate
{
    private readonly bool enabled;
    private TaskCompletionSource opened = CreateOpened();

    /// <summary>Creates a gate; a disabled gate never closes.</summary>
    public InferenceGate(bool enabled) => this.enabled = enabled;

    /// <summary>Completes when no batch is in inference (at once for a disabled gate).</summary>
    public Task WaitOpenAsync(CancellationToken cancellationToken) =>
        Volatile.Read(ref opened).Task.WaitAsync(cancellationToken);

    /// <summary>Closes the gate before a batch runs; dispose the result to open it again.</summary>
    public Closed Close()
    {
        if (enabled)
        {
            Volatile.Write(ref opened, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        }

        return new Closed(this);
    }

    private void Open()
    {
        if (enabled)
        {
            Volatile.Read(ref opened).TrySetResult();
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
