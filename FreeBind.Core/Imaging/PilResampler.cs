using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FreeBind.Imaging;

/// <summary>
/// Resizes RGB pixels the way Pillow 9.x <c>Image.resize</c> does for 8-bit RGB images, and
/// keeps only a crop window of the result.
/// </summary>
/// <remarks>
/// Bilinear and bicubic are a separable convolution: the filter support grows with the
/// downscale factor (antialiasing), weights are normalised then converted to 22-bit fixed
/// point, and the horizontal pass is rounded to bytes before the vertical pass. Bicubic uses
/// a = -0.5. Nearest is PIL's affine scale: source coordinate = floor((x + 0.5) × in / out),
/// accumulated in double precision as PIL does. Only the output pixels inside the crop window
/// are computed; each of them equals the pixel a full resize followed by a crop gives.
/// The SSE4.1 and AVX2 loops add the same integer products as the scalar loops, so they give
/// the same bytes, and <see cref="ScalarOnly"/> lets tests compare the two. The per-pixel loops are
/// compiled fully optimised on first call: under tiered compilation a shard's first seconds
/// would otherwise run them as unoptimised code while the JIT works through start-up methods.
/// </remarks>
internal static unsafe class PilResampler
{
    private const int PrecisionBits = 32 - 8 - 2;

    /// <summary>
    /// Resizes <paramref name="source"/> to <paramref name="resizedWidth"/> × <paramref name="resizedHeight"/>
    /// and writes the window at (<paramref name="left"/>, <paramref name="top"/>) of size
    /// <paramref name="cropWidth"/> × <paramref name="cropHeight"/> to <paramref name="destination"/>
    /// as packed RGB bytes, row by row.
    /// </summary>
    public static void ResizeAndCrop(
        in OrientedImage source,
        int resizedWidth,
        int resizedHeight,
        int left,
        int top,
        int cropWidth,
        int cropHeight,
        ResampleFilter filter,
        Span<byte> destination)
    {
        if (left < 0 || top < 0 || left + cropWidth > resizedWidth || top + cropHeight > resizedHeight)
        {
            throw new ArgumentOutOfRangeException(
                nameof(left),
                $"crop window ({left}, {top}, {cropWidth} × {cropHeight}) lies outside the resized " +
                $"{resizedWidth} × {resizedHeight} image");
        }

        if (destination.Length < cropWidth * cropHeight * 3)
        {
            throw new ArgumentException(
                $"destination has {destination.Length} bytes, expected at least {cropWidth * cropHeight * 3}",
                nameof(destination));
        }

        if (filter == ResampleFilter.Nearest)
        {
            ResizeNearest(source, resizedWidth, resizedHeight, left, top, cropWidth, cropHeight, destination);
            return;
        }

        double support = filter == ResampleFilter.Bicubic ? 2.0 : 1.0;
        Func<double, double> kernel = filter == ResampleFilter.Bicubic ? Bicubic : Bilinear;

        bool needHorizontal = resizedWidth != source.Width;
        bool needVertical = resizedHeight != source.Height;

        Coefficients? horizontal = needHorizontal
            ? Coefficients.Create(source.Width, resizedWidth, left, cropWidth, support, kernel)
            : null;
        Coefficients? vertical = needVertical
            ? Coefficients.Create(source.Height, resizedHeight, top, cropHeight, support, kernel)
            : null;

        try
        {
            // Source rows that the vertical pass reads.
            int firstRow = vertical?.First ?? top;
            int rowCount = vertical is null ? cropHeight : vertical.Last - firstRow;

            byte[] rows = ArrayPool<byte>.Shared.Rent(rowCount * cropWidth * 3);
            try
            {
                HorizontalPass(source, horizontal, left, firstRow, rowCount, cropWidth, rows);
                VerticalPass(rows, vertical, firstRow, cropWidth, cropHeight, destination);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rows);
            }
        }
        finally
        {
            horizontal?.Dispose();
            vertical?.Dispose();
        }
    }

    /// <summary>
    /// When true, this thread runs the scalar loops only; tests set it to compare them with the
    /// vector paths.
    /// </summary>
    [ThreadStatic]
    internal static bool ScalarOnly;

    private static double Bilinear(double x)
    {
        if (x < 0.0)
        {
            x = -x;
        }

        return x < 1.0 ? 1.0 - x : 0.0;
    }

    private static double Bicubic(double x)
    {
        const double A = -0.5;
        if (x < 0.0)
        {
            x = -x;
        }

        if (x < 1.0)
        {
            return (((A + 2.0) * x) - (A + 3.0)) * x * x + 1;
        }

        if (x < 2.0)
        {
            return (((((x - 5) * x) + 8) * x) - 4) * A;
        }

        return 0.0;
    }

    private static byte Clip8(int value)
    {
        int shifted = value >> PrecisionBits;
        if (shifted < 0)
        {
            return 0;
        }

        return shifted > 255 ? (byte)255 : (byte)shifted;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalPass(
        in OrientedImage source,
        Coefficients? coefficients,
        int left,
        int firstRow,
        int rowCount,
        int cropWidth,
        byte[] rows)
    {
        int stepX = source.StepX;
        fixed (byte* pixels = source.Pixels)
        fixed (byte* output = rows)
        {
            for (int r = 0; r < rowCount; r++)
            {
                byte* rowStart = pixels + source.Offset + ((long)(firstRow + r) * source.StepY);
                byte* outRow = output + (r * cropWidth * 3);

                if (coefficients is null)
                {
                    for (int j = 0; j < cropWidth; j++)
                    {
                        byte* p = rowStart + ((long)(left + j) * stepX);
                        outRow[j * 3] = p[0];
                        outRow[(j * 3) + 1] = p[1];
                        outRow[(j * 3) + 2] = p[2];
                    }

                    continue;
                }

                int kernelSize = coefficients.KernelSize;
                fixed (int* bounds = coefficients.Bounds)
                fixed (int* weights = coefficients.Weights)
                {
                    if (Avx2.IsSupported && stepX == 4 && !ScalarOnly)
                    {
                        HorizontalRowAvx2(rowStart, bounds, weights, kernelSize, cropWidth, outRow);
                        continue;
                    }

                    if (Sse41.IsSupported && !ScalarOnly)
                    {
                        HorizontalRowSse41(rowStart, stepX, bounds, weights, kernelSize, cropWidth, outRow);
                        continue;
                    }

                    for (int j = 0; j < cropWidth; j++)
                    {
                        int start = bounds[j * 2];
                        int count = bounds[(j * 2) + 1];
                        int* k = weights + (j * kernelSize);
                        int s0 = 1 << (PrecisionBits - 1);
                        int s1 = s0;
                        int s2 = s0;
                        byte* p = rowStart + ((long)start * stepX);
                        for (int i = 0; i < count; i++)
                        {
                            int w = k[i];
                            s0 += p[0] * w;
                            s1 += p[1] * w;
                            s2 += p[2] * w;
                            p += stepX;
                        }

                        outRow[j * 3] = Clip8(s0);
                        outRow[(j * 3) + 1] = Clip8(s1);
                        outRow[(j * 3) + 2] = Clip8(s2);
                    }
                }
            }
        }
    }

    /// <summary>
    /// <see cref="HorizontalRowSse41"/> for rows stored left to right (no EXIF mirroring or
    /// rotation), two neighbouring source pixels per 256-bit multiply-add: even taps sum in the
    /// low half, odd taps in the high half, and the halves are added at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalRowAvx2(byte* rowStart, int* bounds, int* weights, int kernelSize, int cropWidth, byte* outRow)
    {
        Vector256<int> half = Vector256.Create(Vector128.Create(1 << (PrecisionBits - 1)), Vector128<int>.Zero);
        Vector256<int> spread = Vector256.Create(0, 0, 0, 0, 1, 1, 1, 1);
        int last = cropWidth - 1;
        for (int j = 0; j < cropWidth; j++)
        {
            int count = bounds[(j * 2) + 1];
            int* k = weights + (j * kernelSize);
            byte* p = rowStart + ((long)bounds[j * 2] * 4);
            Vector256<int> pairs = half;
            int i = 0;
            for (; i + 1 < count; i += 2)
            {
                // Weights k[i] and k[i + 1], each repeated for the four bytes of its pixel.
                Vector256<int> w = Avx2.PermuteVar8x32(Vector256.CreateScalarUnsafe(*(long*)(k + i)).AsInt32(), spread);
                pairs += Avx2.ConvertToVector256Int32(p + (i * 4)) * w;
            }

            Vector128<int> sum = pairs.GetLower() + pairs.GetUpper();
            if (i < count)
            {
                sum += Sse41.ConvertToVector128Int32(p + (i * 4)) * Vector128.Create(k[i]);
            }

            StorePixel(sum, outRow + (j * 3), j < last);
        }
    }

    /// <summary>
    /// One output row of the horizontal pass with the four bytes of a source pixel in one
    /// vector: one multiply-add per filter tap instead of three. The integer sums are the
    /// scalar loop's, so the result is the same to the bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void HorizontalRowSse41(
        byte* rowStart, int stepX, int* bounds, int* weights, int kernelSize, int cropWidth, byte* outRow)
    {
        Vector128<int> half = Vector128.Create(1 << (PrecisionBits - 1));
        int last = cropWidth - 1;
        for (int j = 0; j < cropWidth; j++)
        {
            int count = bounds[(j * 2) + 1];
            int* k = weights + (j * kernelSize);
            byte* p = rowStart + ((long)bounds[j * 2] * stepX);
            Vector128<int> sum = half;
            for (int i = 0; i < count; i++)
            {
                sum += Sse41.ConvertToVector128Int32(p) * Vector128.Create(k[i]);
                p += stepX;
            }

            StorePixel(sum, outRow + (j * 3), j < last);
        }
    }

    /// <summary>
    /// Shifts out the fraction of the R, G, B sums in lanes 0-2, saturates them to 0..255 as
    /// <see cref="Clip8"/> does (int32 → int16 → uint8) and writes three bytes at <paramref name="output"/>.
    /// </summary>
    /// <param name="sum">Fixed-point sums, R, G and B in lanes 0 to 2.</param>
    /// <param name="output">Where the pixel's three bytes go.</param>
    /// <param name="mayOverwriteNext">
    /// Whether the byte after the pixel belongs to the next pixel, which is written later: then
    /// one 4-byte store does.
    /// </param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StorePixel(Vector128<int> sum, byte* output, bool mayOverwriteNext)
    {
        Vector128<short> words = Sse2.PackSignedSaturate(Sse2.ShiftRightArithmetic(sum, PrecisionBits), Vector128<int>.Zero);
        uint rgba = Sse2.PackUnsignedSaturate(words, Vector128<short>.Zero).AsUInt32().ToScalar();
        if (mayOverwriteNext)
        {
            Unsafe.WriteUnaligned(output, rgba);
        }
        else
        {
            output[0] = (byte)rgba;
            output[1] = (byte)(rgba >> 8);
            output[2] = (byte)(rgba >> 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void VerticalPass(
        byte[] rows,
        Coefficients? coefficients,
        int firstRow,
        int cropWidth,
        int cropHeight,
        Span<byte> destination)
    {
        int rowBytes = cropWidth * 3;
        if (coefficients is null)
        {
            rows.AsSpan(0, rowBytes * cropHeight).CopyTo(destination);
            return;
        }

        // Accumulate whole rows tap by tap, so the inner loop reads memory in order and runs
        // on SIMD vectors. Integer sums are exact, so the result equals PIL's per-pixel loop.
        int[] sums = ArrayPool<int>.Shared.Rent(rowBytes);
        try
        {
            Span<int> sum = sums.AsSpan(0, rowBytes);
            int kernelSize = coefficients.KernelSize;
            for (int r = 0; r < cropHeight; r++)
            {
                int start = coefficients.Bounds[r * 2] - firstRow;
                int count = coefficients.Bounds[(r * 2) + 1];
                ReadOnlySpan<int> k = coefficients.Weights.AsSpan(r * kernelSize, count);

                sum.Fill(1 << (PrecisionBits - 1));
                for (int i = 0; i < count; i++)
                {
                    MultiplyAdd(rows.AsSpan((start + i) * rowBytes, rowBytes), k[i], sum);
                }

                Span<byte> outRow = destination.Slice(r * rowBytes, rowBytes);
                int b = Sse2.IsSupported && !ScalarOnly ? ClipRowSse2(sum, outRow) : 0;
                for (; b < rowBytes; b++)
                {
                    outRow[b] = Clip8(sum[b]);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(sums);
        }
    }

    /// <summary>
    /// <see cref="Clip8"/> on 16 sums at a time: shift, then saturate int32 → int16 → uint8.
    /// </summary>
    /// <returns>The number of bytes written; the caller does the rest.</returns>
    private static int ClipRowSse2(ReadOnlySpan<int> sum, Span<byte> output)
    {
        int blocks = sum.Length / 16;
        fixed (int* s = sum)
        fixed (byte* o = output)
        {
            for (int block = 0; block < blocks; block++)
            {
                int* p = s + (block * 16);
                Vector128<short> low = Sse2.PackSignedSaturate(
                    Sse2.ShiftRightArithmetic(Sse2.LoadVector128(p), PrecisionBits),
                    Sse2.ShiftRightArithmetic(Sse2.LoadVector128(p + 4), PrecisionBits));
                Vector128<short> high = Sse2.PackSignedSaturate(
                    Sse2.ShiftRightArithmetic(Sse2.LoadVector128(p + 8), PrecisionBits),
                    Sse2.ShiftRightArithmetic(Sse2.LoadVector128(p + 12), PrecisionBits));
                Sse2.Store(o + (block * 16), Sse2.PackUnsignedSaturate(low, high));
            }
        }

        return blocks * 16;
    }

    /// <summary>
    /// Adds <paramref name="weight"/> × each byte of <paramref name="row"/> to the matching element of
    /// <paramref name="sum"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd(ReadOnlySpan<byte> row, int weight, Span<int> sum)
    {
        int b = 0;
        if (Vector.IsHardwareAccelerated)
        {
            int lanes = Vector<int>.Count;
            var weights = new Vector<int>(weight);
            for (; b <= row.Length - Vector<byte>.Count; b += Vector<byte>.Count)
            {
                Vector.Widen(new Vector<byte>(row[b..]), out Vector<ushort> low, out Vector<ushort> high);
                Vector.Widen(low, out Vector<uint> part0, out Vector<uint> part1);
                Vector.Widen(high, out Vector<uint> part2, out Vector<uint> part3);
                AddProduct(sum.Slice(b, lanes), part0, weights);
                AddProduct(sum.Slice(b + lanes, lanes), part1, weights);
                AddProduct(sum.Slice(b + (2 * lanes), lanes), part2, weights);
                AddProduct(sum.Slice(b + (3 * lanes), lanes), part3, weights);
            }
        }

        for (; b < row.Length; b++)
        {
            sum[b] += row[b] * weight;
        }
    }

    private static void AddProduct(Span<int> sum, Vector<uint> values, Vector<int> weights)
    {
        var total = new Vector<int>(sum) + (Vector.AsVectorInt32(values) * weights);
        total.CopyTo(sum);
    }

    private static void ResizeNearest(
        in OrientedImage source,
        int resizedWidth,
        int resizedHeight,
        int left,
        int top,
        int cropWidth,
        int cropHeight,
        Span<byte> destination)
    {
        int[] columns = ArrayPool<int>.Shared.Rent(resizedWidth);
        int[] sourceRows = ArrayPool<int>.Shared.Rent(resizedHeight);
        try
        {
            NearestTable(source.Width, resizedWidth, columns);
            NearestTable(source.Height, resizedHeight, sourceRows);

            fixed (byte* pixels = source.Pixels)
            fixed (byte* output = destination)
            {
                for (int r = 0; r < cropHeight; r++)
                {
                    byte* rowStart = pixels + source.Offset + ((long)sourceRows[top + r] * source.StepY);
                    byte* outRow = output + (r * cropWidth * 3);
                    for (int j = 0; j < cropWidth; j++)
                    {
                        byte* p = rowStart + ((long)columns[left + j] * source.StepX);
                        outRow[j * 3] = p[0];
                        outRow[(j * 3) + 1] = p[1];
                        outRow[(j * 3) + 2] = p[2];
                    }
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(columns);
            ArrayPool<int>.Shared.Return(sourceRows);
        }
    }

    private static void NearestTable(int inSize, int outSize, int[] table)
    {
        double step = (double)inSize / outSize;
        double position = step * 0.5;
        for (int i = 0; i < outSize; i++)
        {
            // PIL's COORD macro truncates; position is never negative here.
            table[i] = Math.Min((int)position, inSize - 1);
            position += step;
        }
    }

    /// <summary>Fixed-point filter weights for a run of output pixels along one axis, from pooled arrays.</summary>
    private sealed class Coefficients : IDisposable
    {
        private Coefficients(int[] bounds, int[] weights, int kernelSize, int first, int last)
        {
            Bounds = bounds;
            Weights = weights;
            KernelSize = kernelSize;
            First = first;
            Last = last;
        }

        /// <summary>Per output pixel: first source index and number of source pixels.</summary>
        public int[] Bounds { get; }

        /// <summary>Per output pixel: <see cref="KernelSize"/> weights scaled by 2^22.</summary>
        public int[] Weights { get; }

        public int KernelSize { get; }

        /// <summary>Lowest source index any output pixel reads.</summary>
        public int First { get; }

        /// <summary>One past the highest source index any output pixel reads.</summary>
        public int Last { get; }

        /// <summary>
        /// Computes the weights of output pixels <paramref name="first"/> to first + count - 1 of an
        /// <paramref name="inSize"/> → <paramref name="outSize"/> resize.
        /// </summary>
        public static Coefficients Create(
            int inSize,
            int outSize,
            int first,
            int count,
            double filterSupport,
            Func<double, double> kernel)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = filterSupport * filterScale;
            int kernelSize = ((int)Math.Ceiling(support) * 2) + 1;
            double inverseFilterScale = 1.0 / filterScale;

            int[] bounds = ArrayPool<int>.Shared.Rent(count * 2);
            int[] weights = ArrayPool<int>.Shared.Rent(count * kernelSize);
            Span<double> real = kernelSize <= 256 ? stackalloc double[kernelSize] : new double[kernelSize];

            int lowest = int.MaxValue;
            int highest = 0;
            for (int i = 0; i < count; i++)
            {
                int output = first + i;
                double center = (output + 0.5) * scale;
                int min = Math.Max((int)(center - support + 0.5), 0);
                int max = Math.Min((int)(center + support + 0.5), inSize) - min;

                double total = 0.0;
                for (int x = 0; x < max; x++)
                {
                    double w = kernel((x + min - center + 0.5) * inverseFilterScale);
                    real[x] = w;
                    total += w;
                }

                Span<int> fixedPoint = weights.AsSpan(i * kernelSize, kernelSize);
                fixedPoint.Clear();
                for (int x = 0; x < max; x++)
                {
                    double w = total != 0.0 ? real[x] / total : real[x];
                    double scaled = w * (1 << PrecisionBits);
                    fixedPoint[x] = w < 0 ? (int)(-0.5 + scaled) : (int)(0.5 + scaled);
                }

                bounds[i * 2] = min;
                bounds[(i * 2) + 1] = max;
                lowest = Math.Min(lowest, min);
                highest = Math.Max(highest, min + max);
            }

            return new Coefficients(bounds, weights, kernelSize, lowest, highest);
        }

        public void Dispose()
        {
            ArrayPool<int>.Shared.Return(Bounds);
            ArrayPool<int>.Shared.Return(Weights);
        }
    }
}
