namespace FreeBind.Evaluation;

/// <summary>Embeddings of one modality as a dense row-major matrix, with the id of each row.</summary>
/// <remarks>The arrays are shared, not copied: callers must not modify them after construction.</remarks>
public sealed class EmbeddingMatrix
{
    /// <summary>Creates a matrix over <paramref name="values"/> ([ids.Count, dimension], row-major).</summary>
    /// <exception cref="ArgumentException">The value count is not ids × dimension, or an id repeats.</exception>
    public EmbeddingMatrix(IReadOnlyList<string> ids, int dimension, float[] values)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        if (values.LongLength != (long)ids.Count * dimension)
        {
            throw new ArgumentException(
                $"embedding matrix: {values.LongLength} values do not fill {ids.Count} rows × {dimension}.", nameof(values));
        }

        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!index.TryAdd(ids[i], i))
            {
                throw new ArgumentException(
                    $"embedding matrix: id '{ids[i]}' appears twice; keep one row per id.", nameof(ids));
            }
        }

        Ids = ids;
        Dimension = dimension;
        Values = values;
        RowIndex = index;
    }

    /// <summary>Row ids, in row order.</summary>
    public IReadOnlyList<string> Ids { get; }

    /// <summary>Values per row.</summary>
    public int Dimension { get; }

    /// <summary>Row-major values, [<see cref="Count"/>, <see cref="Dimension"/>].</summary>
    public float[] Values { get; }

    /// <summary>Row number of each id.</summary>
    public IReadOnlyDictionary<string, int> RowIndex { get; }

    /// <summary>Number of rows.</summary>
    public int Count => Ids.Count;

    /// <summary>Returns row <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Dimension, Dimension);

    /// <summary>Returns rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) as a new matrix that shares no arrays.</summary>
    public EmbeddingMatrix Slice(int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count);
        var ids = new string[count];
        for (var i = 0; i < count; i++)
        {
            ids[i] = Ids[start + i];
        }

        return new EmbeddingMatrix(ids, Dimension, Values.AsSpan(start * Dimension, count * Dimension).ToArray());
    }

    /// <summary>Splits the rows into <paramref name="partitions"/> contiguous parts whose sizes differ by at most one.</summary>
    public IReadOnlyList<EmbeddingMatrix> Partition(int partitions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        var parts = new List<EmbeddingMatrix>(partitions);
        var start = 0;
        for (var p = 0; p < partitions; p++)
        {
            var size = Count / partitions + (p < Count % partitions ? 1 : 0);
            parts.Add(Slice(start, size));
            start += size;
        }

        return parts;
    }
}
