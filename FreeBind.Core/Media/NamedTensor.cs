namespace FreeBind.Media;

/// <summary>
/// One preprocessed model input for a single item, before batching.
/// </summary>
/// <remarks>
/// Exactly one of <see cref="Floats"/> and <see cref="Int64s"/> is set. The arrays belong to the
/// tensor; the batcher copies them into the batch tensor and does not keep them. A text input
/// may have a shorter <see cref="Shape"/> than the model's context; the batcher pads it with
/// <see cref="PadValue"/> up to the batch's length.
/// </remarks>
/// <param name="Name">Model input name, for example <c>pixel_values</c> or <c>input_ids</c>.</param>
/// <param name="Shape">Shape of this item's tensor without the batch dimension.</param>
/// <param name="Floats">Float32 values in row-major order, or null.</param>
/// <param name="Int64s">Int64 values in row-major order, or null.</param>
/// <param name="PadValue">Value that pads a variable-length last dimension.</param>
public sealed record NamedTensor(string Name, int[] Shape, float[]? Floats, long[]? Int64s, long PadValue = 0)
{
    /// <summary>Creates a float32 tensor.</summary>
    public static NamedTensor Float(string name, int[] shape, float[] values) => new(name, shape, values, null);

    /// <summary>
    /// Creates a float32 tensor over an array rented from <see cref="FloatBufferPool"/>; the
    /// shard pipeline returns it once the batch has copied it.
    /// </summary>
    internal static NamedTensor PooledFloat(string name, int[] shape, float[] values) =>
        new(name, shape, values, null) { IsPooled = true };

    /// <summary>Whether <see cref="Floats"/> came from <see cref="FloatBufferPool"/>.</summary>
    internal bool IsPooled { get; private init; }

    /// <summary>Creates an int64 tensor padded with <paramref name="padValue"/>.</summary>
    public static NamedTensor Int64(string name, int[] shape, long[] values, long padValue = 0) =>
        new(name, shape, null, values, padValue);
}
