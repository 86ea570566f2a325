namespace FreeBind.Bonds.Checkpoints;

/// <summary>
/// A named tensor read from a checkpoint, converted to float32 and stored contiguous, row-major.
/// </summary>
/// <remarks>
/// The tensor owns <see cref="Values"/>; readers hand out a fresh array per tensor, so callers
/// may keep or change it. Integer tensors (such as BatchNorm's <c>num_batches_tracked</c>) are
/// converted too, and are exact only up to 2^24.
/// </remarks>
public sealed class CheckpointTensor
{
    /// <summary>Creates a tensor and checks that the shape matches the number of values.</summary>
    /// <param name="name">Key in the checkpoint.</param>
    /// <param name="shape">Dimensions; empty for a scalar.</param>
    /// <param name="values">Elements in row-major order.</param>
    /// <param name="dataType">Element type in the file, such as float32, float16 or int64.</param>
    /// <exception cref="ArgumentException">A dimension is negative or the shape does not match the value count.</exception>
    public CheckpointTensor(string name, long[] shape, float[] values, string dataType = "float32")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(values);
        long count = ElementCount(shape);
        if (count != values.Length)
        {
            throw new ArgumentException(
                $"tensor '{name}' has shape {FormatShape(shape)} ({count} elements) but {values.Length} values",
                nameof(values));
        }

        Name = name;
        Shape = shape;
        Values = values;
        DataType = dataType;
    }

    /// <summary>Key in the checkpoint, such as <c>Head2.mlps.0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Dimensions, outermost first; empty for a scalar.</summary>
    public long[] Shape { get; }

    /// <summary>Elements as float32, contiguous and row-major.</summary>
    public float[] Values { get; }

    /// <summary>Element type the file stored, before conversion to float32.</summary>
    public string DataType { get; }

    /// <summary>Formats a shape as <c>[2, 3]</c>, for messages.</summary>
    public static string FormatShape(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return "[" + string.Join(", ", shape) + "]";
    }

    internal static long ElementCount(IReadOnlyList<long> shape)
    {
        long count = 1;
        foreach (long dimension in shape)
        {
            if (dimension < 0)
            {
                throw new ArgumentException($"shape {FormatShape(shape)} has a negative dimension", nameof(shape));
            }

            count = checked(count * dimension);
        }

        return count;
    }
}
