using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

using FreeBind.Media;

namespace FreeBind.Imaging;

/// <summary>
/// Turns an encoded image into a planar float tensor [3, Size, Size]: decode with SkiaSharp,
/// apply the EXIF orientation, resize and crop as torchvision's <c>Resize</c> +
/// <c>CenterCrop</c> do on a PIL image, then scale and normalise each channel.
/// </summary>
/// <remarks>
/// <para>
/// The reference is <c>Image.open(f).convert("RGB")</c> followed by torchvision transforms on
/// Pillow 9.4, with <c>ImageOps.exif_transpose</c> added. On every golden case (bilinear,
/// bicubic and nearest; JPEG, PNG, GIF, BMP, WebP and TIFF) the pixels equal Pillow's exactly.
/// The tests allow a difference of 1 in 0-255 units. With <see cref="ImageRecipe.JpegDctScaling"/> set,
/// a JPEG whose short side is at least 4 × Size is decoded with DCT scaling and then differs
/// slightly. Transparent pixels keep their stored RGB values, because
/// <c>convert("RGB")</c> drops alpha without compositing.
/// </para>
/// <para>
/// Thread-safe: the instance holds only immutable settings, and every call rents its own
/// buffers from <see cref="ArrayPool{T}.Shared"/>. The returned tensor's array comes from
/// <see cref="FloatBufferPool"/> and belongs to the caller, who may keep it or return it.
/// </para>
/// </remarks>
public sealed class ImagePreprocessor : IPreprocessor
{
    private readonly string inputName;
    private readonly int size;
    private readonly ResizeMode resizeMode;
    private readonly ResampleFilter filter;
    private readonly long maxPixels;
    private readonly bool dctScaling;
    private readonly bool clampGrey16;
    private readonly bool reverseChannels;

    // Normalised value of each byte value per output channel: lookup[channel * 256 + value].
    private readonly float[] lookup;

    // The same arithmetic for the vector path: ((value * scale) - mean) / std per output channel.
    private readonly float scale;
    private readonly float[] mean;
    private readonly float[] std;

    /// <summary>Creates a preprocessor from a copy of the recipe's settings.</summary>
    /// <exception cref="ArgumentException">The recipe is invalid; the message lists every problem.</exception>
    public ImagePreprocessor(ImageRecipe recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        List<string> problems = recipe.Validate(".").ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(recipe));
        }

        inputName = recipe.Input;
        size = recipe.Size;
        ImageRecipeParser.TryParseResize(recipe.Resize, out resizeMode);
        ImageRecipeParser.TryParseInterpolation(recipe.Interpolation, out filter);
        ImageRecipeParser.TryParseChannelOrder(recipe.ChannelOrder, out reverseChannels);
        maxPixels = recipe.MaxPixels;
        dctScaling = recipe.JpegDctScaling;
        ImageRecipeParser.TryParseGrey16(recipe.Grey16, out clampGrey16);
        scale = recipe.Scale;
        mean = [.. recipe.Mean];
        std = [.. recipe.Std];

        lookup = new float[3 * 256];
        for (int channel = 0; channel < 3; channel++)
        {
            for (int value = 0; value < 256; value++)
            {
                lookup[(channel * 256) + value] = ((value * recipe.Scale) - recipe.Mean[channel]) / recipe.Std[channel];
            }
        }
    }

    /// <inheritdoc />
    public Modality Modality => Modality.Image;

    /// <inheritdoc />
    /// <exception cref="MediaException">
    /// Stage decode: the bytes are empty, not an image, unreadable or above the pixel limit.
    /// </exception>
    public PreprocessedItem Preprocess(ReadOnlyMemory<byte> data)
    {
        using DecodedImage decoded = ImageDecoder.Decode(data, maxPixels, dctScaling ? 2 * size : 0, clampGrey16);
        OrientedImage view = decoded.View();

        // Geometry comes from the file's dimensions, so DCT-scaled decodes crop the same region.
        bool swap = OrientedImage.SwapsAxes(decoded.Origin);
        int width = swap ? decoded.FileHeight : decoded.FileWidth;
        int height = swap ? decoded.FileWidth : decoded.FileHeight;
        (int resizedWidth, int resizedHeight, int left, int top) = ComputeGeometry(width, height);

        int pixelCount = size * size;
        byte[] rgb = ArrayPool<byte>.Shared.Rent(pixelCount * 3);
        try
        {
            PilResampler.ResizeAndCrop(view, resizedWidth, resizedHeight, left, top, size, size, filter, rgb);

            float[] values = FloatBufferPool.Rent(3 * pixelCount);
            Normalise(rgb, values, pixelCount);

            var tensor = NamedTensor.PooledFloat(inputName, [3, size, size], values);
            return decoded.Warning is null
                ? new PreprocessedItem(tensor)
                : new PreprocessedItem([tensor], [decoded.Warning]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rgb);
        }
    }

    /// <summary>
    /// Computes the resized size and the crop origin with torchvision's arithmetic: the long side
    /// is <c>int(size * long / short)</c> and the crop offset is <c>int(round((h - size) / 2.0))</c>,
    /// where Python rounds halves to even.
    /// </summary>
    internal (int ResizedWidth, int ResizedHeight, int Left, int Top) ComputeGeometry(int width, int height)
    {
        if (resizeMode == ResizeMode.Exact)
        {
            return (size, size, 0, 0);
        }

        int shortSide = Math.Min(width, height);
        int longSide = Math.Max(width, height);
        int newLong = (int)((double)((long)size * longSide) / shortSide);
        int resizedWidth = width <= height ? size : newLong;
        int resizedHeight = width <= height ? newLong : size;

        int left = (int)Math.Round((resizedWidth - size) / 2.0, MidpointRounding.ToEven);
        int top = (int)Math.Round((resizedHeight - size) / 2.0, MidpointRounding.ToEven);
        return (resizedWidth, resizedHeight, left, top);
    }

    // The shuffle controls of channels 0, 1 and 2, made once.
    private static readonly (Vector128<byte> First, Vector128<byte> Second, Vector128<byte> Third)[] Shuffles =
        [ChannelShuffles(0), ChannelShuffles(1), ChannelShuffles(2)];

    /// <summary>
    /// When true, this thread runs the scalar loops only; tests set it to compare them with the
    /// vector paths.
    /// </summary>
    [ThreadStatic]
    internal static bool ScalarOnly;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Normalise(byte[] rgb, float[] values, int pixelCount)
    {
        int done = Sse41.IsSupported && !ScalarOnly ? NormaliseSse41(rgb, values, pixelCount) : 0;
        ReadOnlySpan<float> table = lookup;
        for (int channel = 0; channel < 3; channel++)
        {
            int sourceChannel = reverseChannels ? 2 - channel : channel;
            ReadOnlySpan<float> channelTable = table.Slice(channel * 256, 256);
            Span<float> plane = values.AsSpan(channel * pixelCount, pixelCount);
            for (int i = done; i < plane.Length; i++)
            {
                plane[i] = channelTable[rgb[(i * 3) + sourceChannel]];
            }
        }
    }

    /// <summary>
    /// Normalises 16 pixels at a time: three shuffles pick one channel's bytes out of 48 packed
    /// RGB bytes, then the lookup table's arithmetic runs on four floats per instruction. The
    /// operations and their order are the table's, so each value is the same to the bit.
    /// </summary>
    /// <returns>The number of pixels written; the caller does the rest.</returns>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe int NormaliseSse41(byte[] rgb, float[] values, int pixelCount)
    {
        int blocks = pixelCount / 16;
        fixed (byte* source = rgb)
        fixed (float* output = values)
        {
            for (int channel = 0; channel < 3; channel++)
            {
                int sourceChannel = reverseChannels ? 2 - channel : channel;
                (Vector128<byte> fromFirst, Vector128<byte> fromSecond, Vector128<byte> fromThird) = Shuffles[sourceChannel];
                Vector128<float> channelScale = Vector128.Create(scale);
                Vector128<float> channelMean = Vector128.Create(mean[channel]);
                Vector128<float> channelStd = Vector128.Create(std[channel]);
                float* plane = output + ((long)channel * pixelCount);
                for (int block = 0; block < blocks; block++)
                {
                    byte* p = source + (block * 48);
                    Vector128<byte> bytes = Ssse3.Shuffle(Sse2.LoadVector128(p), fromFirst)
                        | Ssse3.Shuffle(Sse2.LoadVector128(p + 16), fromSecond)
                        | Ssse3.Shuffle(Sse2.LoadVector128(p + 32), fromThird);
                    float* o = plane + (block * 16);
                    Sse.Store(o, Normalised(bytes, channelScale, channelMean, channelStd));
                    Sse.Store(o + 4, Normalised(Sse2.ShiftRightLogical128BitLane(bytes, 4), channelScale, channelMean, channelStd));
                    Sse.Store(o + 8, Normalised(Sse2.ShiftRightLogical128BitLane(bytes, 8), channelScale, channelMean, channelStd));
                    Sse.Store(o + 12, Normalised(Sse2.ShiftRightLogical128BitLane(bytes, 12), channelScale, channelMean, channelStd));
                }
            }
        }

        return blocks * 16;
    }

    // Normalises the four lowest bytes of the vector.
    private static Vector128<float> Normalised(
        Vector128<byte> bytes, Vector128<float> scale, Vector128<float> mean, Vector128<float> std) =>
        ((Sse2.ConvertToVector128Single(Sse41.ConvertToVector128Int32(bytes)) * scale) - mean) / std;

    // Shuffle controls that move the bytes of one channel of 16 packed RGB pixels (48 bytes in three
    // 16-byte loads) to positions 0-15. A control byte of 0x80 writes zero, so OR joins the three.
    private static (Vector128<byte> First, Vector128<byte> Second, Vector128<byte> Third) ChannelShuffles(int channel)
    {
        Span<byte> first = stackalloc byte[16];
        Span<byte> second = stackalloc byte[16];
        Span<byte> third = stackalloc byte[16];
        for (int pixel = 0; pixel < 16; pixel++)
        {
            int offset = (pixel * 3) + channel;
            first[pixel] = offset < 16 ? (byte)offset : (byte)0x80;
            second[pixel] = offset is >= 16 and < 32 ? (byte)(offset - 16) : (byte)0x80;
            third[pixel] = offset >= 32 ? (byte)(offset - 32) : (byte)0x80;
        }

        return (Vector128.Create<byte>(first), Vector128.Create<byte>(second), Vector128.Create<byte>(third));
    }
}
