using System.Collections.Concurrent;

namespace FreeBind.Media;

/// <summary>
/// Float arrays of exact lengths, kept for reuse once a batch has copied an item's tensor.
/// </summary>
/// <remarks>
/// An image tensor of [3, 224, 224] is 602 KB, above the 85 KB large-object threshold, so a new
/// array per item costs a zeroed large-object allocation, fresh pages from the kernel and more
/// gen-2 collections. Only the shard pipeline returns arrays, after <c>OnnxEncoder.Encode</c> has
/// copied them into the batch; any other caller simply keeps what it rents, and the GC collects it.
/// At most <see cref="MaxPerLength"/> arrays of each length are kept for the life of the process,
/// 58 MB for [3, 224, 224] tensors.
/// </remarks>
internal static class FloatBufferPool
{
    /// <summary>
    /// Arrays kept per length: two queued batches of 16 plus one in inference and one per worker
    /// fit, with room for a batch size of 32.
    /// </summary>
    public const int MaxPerLength = 96;

    private static readonly ConcurrentDictionary<int, Shelf> Shelves = new();

    /// <summary>Returns an array of exactly <paramref name="length"/> elements with undefined contents.</summary>
    public static float[] Rent(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Shelves.TryGetValue(length, out var shelf) && shelf.Arrays.TryTake(out var array))
        {
            Interlocked.Decrement(ref shelf.Count);
            return array;
        }

        return new float[length];
    }

    /// <summary>Keeps <paramref name="array"/> for a later <see cref="Rent"/>. The caller must not use it again.</summary>
    public static void Return(float[] array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var shelf = Shelves.GetOrAdd(array.Length, static _ => new Shelf());
        if (Interlocked.Increment(ref shelf.Count) <= MaxPerLength)
        {
            shelf.Arrays.Add(array);
        }
        else
        {
            Interlocked.Decrement(ref shelf.Count);
        }
    }

    private sealed class Shelf
    {
        public readonly ConcurrentBag<float[]> Arrays = new();
        public int Count;
    }
}
