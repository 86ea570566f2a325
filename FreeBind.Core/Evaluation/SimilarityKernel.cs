using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace FreeBind.Evaluation;

/// <summary>Dot-product scores between a block of queries and a block of gallery rows.</summary>
/// <remarks>
/// Every (query, item) score is computed by the same sequence of float operations, whatever the
/// block sizes or the gallery partition the item sits in. So a score computed in one partition
/// equals, bit for bit, the score another partition compares against, which the exact sharded
/// ranks rely on. A BLAS or ONNX Runtime MatMul would be faster but may sum in a different order
/// for different matrix shapes.
/// NOTE: the operation sequence depends on the CPU's vector width (Vector256 or scalar), so silos
/// with different instruction sets can disagree in the last bit on exact ties.
/// </remarks>
public static class SimilarityKernel
{
    /// <summary>
    /// Writes scores[q * galleryCount + g] = dot(query q, gallery row g) for every query and item.
    /// </summary>
    /// <param name="queries">Row-major [queryCount, dimension].</param>
    /// <param name="gallery">Row-major [galleryCount, dimension].</param>
    /// <param name="dimension">Values per row.</param>
    /// <param name="scores">Receives [queryCount, galleryCount].</param>
    public static void Scores(ReadOnlySpan<float> queries, ReadOnlySpan<float> gallery, int dimension, Span<float> scores)
    {
        var queryCount = queries.Length / dimension;
        var galleryCount = gallery.Length / dimension;
        if (scores.Length < queryCount * galleryCount)
        {
            throw new ArgumentException(
                $"score buffer holds {scores.Length} values, needs {queryCount} × {galleryCount}.", nameof(scores));
        }

        for (var q = 0; q < queryCount; q++)
        {
            var query = queries.Slice(q * dimension, dimension);
            var row = scores.Slice(q * galleryCount, galleryCount);
            var g = 0;
            for (; g + 4 <= galleryCount; g += 4)
            {
                Dot4(query, gallery.Slice(g * dimension, 4 * dimension), dimension, row.Slice(g, 4));
            }

            for (; g < galleryCount; g++)
            {
                row[g] = Dot(query, gallery.Slice(g * dimension, dimension));
            }
        }
    }

    /// <summary>Returns the dot product of two vectors of equal length, in the kernel's operation order.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var n = x.Length;
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= Vector256<float>.Count)
        {
            var accumulator = Vector256<float>.Zero;
            for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
            {
                accumulator = MultiplyAdd(Vector256.Create(x.Slice(i)), Vector256.Create(y.Slice(i)), accumulator);
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    // Four items per pass so each query chunk is loaded once; each item's arithmetic is the same as Dot's.
    private static void Dot4(ReadOnlySpan<float> query, ReadOnlySpan<float> items, int n, Span<float> output)
    {
        if (!Vector256.IsHardwareAccelerated || n < Vector256<float>.Count)
        {
            for (var k = 0; k < 4; k++)
            {
                output[k] = Dot(query, items.Slice(k * n, n));
            }

            return;
        }

        var a0 = Vector256<float>.Zero;
        var a1 = Vector256<float>.Zero;
        var a2 = Vector256<float>.Zero;
        var a3 = Vector256<float>.Zero;
        var i = 0;
        for (; i + Vector256<float>.Count <= n; i += Vector256<float>.Count)
        {
            var q = Vector256.Create(query.Slice(i));
            a0 = MultiplyAdd(q, Vector256.Create(items.Slice(i)), a0);
            a1 = MultiplyAdd(q, Vector256.Create(items.Slice(n + i)), a1);
            a2 = MultiplyAdd(q, Vector256.Create(items.Slice(2 * n + i)), a2);
            a3 = MultiplyAdd(q, Vector256.Create(items.Slice(3 * n + i)), a3);
        }

        Span<float> sums = [Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3)];
        for (; i < n; i++)
        {
            for (var k = 0; k < 4; k++)
            {
                sums[k] += query[i] * items[k * n + i];
            }
        }

        sums.CopyTo(output);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> x, Vector256<float> y, Vector256<float> accumulator) =>
        Vector256.FusedMultiplyAdd(x, y, accumulator);
}
