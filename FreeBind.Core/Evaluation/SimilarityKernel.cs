using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FreeBind.Evaluation;

/// <summary>Dot-product scores between a block of queries and a block of gallery rows.</summary>
/// <remarks>
/// Every (query, item) score is computed by the same sequence of float operations, whatever the
/// block sizes or the gallery partition the item sits in: one Vector256 accumulator runs over the
/// dimension in order, its lanes are summed, then the scalar tail is added. So a score computed in
/// one partition equals, bit for bit, the score another partition compares against, which the
/// exact sharded ranks rely on. A BLAS or ONNX Runtime MatMul may sum in a different order for
/// different matrix shapes. So the kernel does its own register blocking instead. Each pass scores
/// four queries against three items in twelve accumulators, loading each vector once per pass.
/// NOTE: the operation sequence depends on the CPU's vector width (Vector256 or scalar), so silos
/// with different instruction sets can disagree in the last bit on exact ties.
/// </remarks>
public static class SimilarityKernel
{
    private const int Lanes = 8;

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

        var q = 0;
        if (Vector256.IsHardwareAccelerated && dimension >= Lanes)
        {
            for (; q + 4 <= queryCount; q += 4)
            {
                var g = 0;
                for (; g + 3 <= galleryCount; g += 3)
                {
                    Block4x3(queries.Slice(q * dimension, 4 * dimension), gallery.Slice(g * dimension, 3 * dimension), dimension, scores, q * galleryCount + g, galleryCount);
                }

                for (; g < galleryCount; g++)
                {
                    var item = gallery.Slice(g * dimension, dimension);
                    for (var r = 0; r < 4; r++)
                    {
                        scores[(q + r) * galleryCount + g] = Dot(queries.Slice((q + r) * dimension, dimension), item);
                    }
                }
            }
        }

        for (; q < queryCount; q++)
        {
            var query = queries.Slice(q * dimension, dimension);
            for (var g = 0; g < galleryCount; g++)
            {
                scores[q * galleryCount + g] = Dot(query, gallery.Slice(g * dimension, dimension));
            }
        }
    }

    /// <summary>Returns the dot product of two vectors of equal length, in the kernel's operation order.</summary>
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        var n = x.Length;
        var i = 0;
        var sum = 0f;
        if (Vector256.IsHardwareAccelerated && n >= Lanes)
        {
            var accumulator = Vector256<float>.Zero;
            for (; i + Lanes <= n; i += Lanes)
            {
                accumulator = Vector256.FusedMultiplyAdd(Vector256.Create(x.Slice(i)), Vector256.Create(y.Slice(i)), accumulator);
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < n; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    // Four queries × three items; each of the twelve products follows Dot's operation order exactly.
    private static void Block4x3(
        ReadOnlySpan<float> queries, ReadOnlySpan<float> items, int n, Span<float> scores, int offset, int stride)
    {
        ref var q0 = ref MemoryMarshal.GetReference(queries);
        ref var q1 = ref Unsafe.Add(ref q0, n);
        ref var q2 = ref Unsafe.Add(ref q0, 2 * n);
        ref var q3 = ref Unsafe.Add(ref q0, 3 * n);
        ref var g0 = ref MemoryMarshal.GetReference(items);
        ref var g1 = ref Unsafe.Add(ref g0, n);
        ref var g2 = ref Unsafe.Add(ref g0, 2 * n);
        Vector256<float> a00 = default, a01 = default, a02 = default;
        Vector256<float> a10 = default, a11 = default, a12 = default;
        Vector256<float> a20 = default, a21 = default, a22 = default;
        Vector256<float> a30 = default, a31 = default, a32 = default;
        nuint i = 0;
        var vectorEnd = (nuint)(n - n % Lanes);
        for (; i < vectorEnd; i += Lanes)
        {
            var x0 = Vector256.LoadUnsafe(ref g0, i);
            var x1 = Vector256.LoadUnsafe(ref g1, i);
            var x2 = Vector256.LoadUnsafe(ref g2, i);
            var y = Vector256.LoadUnsafe(ref q0, i);
            a00 = Vector256.FusedMultiplyAdd(y, x0, a00);
            a01 = Vector256.FusedMultiplyAdd(y, x1, a01);
            a02 = Vector256.FusedMultiplyAdd(y, x2, a02);
            y = Vector256.LoadUnsafe(ref q1, i);
            a10 = Vector256.FusedMultiplyAdd(y, x0, a10);
            a11 = Vector256.FusedMultiplyAdd(y, x1, a11);
            a12 = Vector256.FusedMultiplyAdd(y, x2, a12);
            y = Vector256.LoadUnsafe(ref q2, i);
            a20 = Vector256.FusedMultiplyAdd(y, x0, a20);
            a21 = Vector256.FusedMultiplyAdd(y, x1, a21);
            a22 = Vector256.FusedMultiplyAdd(y, x2, a22);
            y = Vector256.LoadUnsafe(ref q3, i);
            a30 = Vector256.FusedMultiplyAdd(y, x0, a30);
            a31 = Vector256.FusedMultiplyAdd(y, x1, a31);
            a32 = Vector256.FusedMultiplyAdd(y, x2, a32);
        }

        Span<float> sums =
        [
            Vector256.Sum(a00), Vector256.Sum(a01), Vector256.Sum(a02),
            Vector256.Sum(a10), Vector256.Sum(a11), Vector256.Sum(a12),
            Vector256.Sum(a20), Vector256.Sum(a21), Vector256.Sum(a22),
            Vector256.Sum(a30), Vector256.Sum(a31), Vector256.Sum(a32),
        ];
        for (var j = (int)vectorEnd; j < n; j++)
        {
            for (var r = 0; r < 4; r++)
            {
                for (var c = 0; c < 3; c++)
                {
                    sums[r * 3 + c] += queries[r * n + j] * items[c * n + j];
                }
            }
        }

        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 3; c++)
            {
                scores[offset + r * stride + c] = sums[r * 3 + c];
            }
        }
    }
}
