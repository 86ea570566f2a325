namespace FreeBind.Media;

/// <summary>The model inputs of one item, plus warnings raised while making them.</summary>
/// <param name="Inputs">One tensor per model input.</param>
/// <param name="Warnings">Counted, non-fatal events such as "text truncated to 77 tokens".</param>
public sealed record PreprocessedItem(IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<string> Warnings)
{
    /// <summary>Creates an item with no warnings.</summary>
    public PreprocessedItem(params NamedTensor[] inputs)
        : this(inputs, Array.Empty<string>())
    {
    }

    /// <summary>
    /// Hands pooled tensor arrays back to <see cref="FloatBufferPool"/>. Call it once, after the
    /// item's batch has run, and do not read the item's tensors afterwards.
    /// </summary>
    internal void ReturnPooledBuffers()
    {
        foreach (var input in Inputs)
        {
            if (input.IsPooled && input.Floats is { } floats)
            {
                FloatBufferPool.Return(floats);
            }
        }
    }
}
