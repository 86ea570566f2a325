using FreeBind.Imaging;
using FreeBind.Media;

using SkiaSharp;

namespace FreeBind.Tests.Imaging;

/// <summary>
/// The vector loops of the resampler and the normalisation give the same bytes and floats as
/// their scalar loops, which the Pillow goldens check, on sizes and orientations the goldens miss.
/// </summary>
public sealed class VectorPathTests
{
    public static TheoryData<int, int, int, int, string> ResizeCases() => new()
    {
        // source width, height, resized width, height, filter
        { 640, 480, 224, 224, "bilinear" },
        { 640, 480, 298, 224, "bicubic" },
        { 37, 23, 17, 11, "bicubic" },
        { 5, 300, 3, 224, "bilinear" },
        { 100, 80, 224, 179, "bicubic" },
        { 33, 65, 33, 40, "bilinear" },
        { 64, 48, 21, 16, "nearest" },
    };

    [Theory]
    [MemberData(nameof(ResizeCases))]
    public void ResizeAndCrop_VectorEqualsScalar_InEveryOrientation(int width, int height, int resizedWidth, int resizedHeight, string filter)
    {
        var pixels = RandomBytes(width * height * 4, seed: width * 31 + height);
        Assert.True(ImageRecipeParser.TryParseInterpolation(filter, out var resample));

        foreach (var origin in Enum.GetValues<SKEncodedOrigin>())
        {
            var view = OrientedImage.Create(pixels, width, height, origin);
            // The orientation may swap the axes; resize the displayed image.
            var (outWidth, outHeight) = OrientedImage.SwapsAxes(origin) ? (resizedHeight, resizedWidth) : (resizedWidth, resizedHeight);
            var cropWidth = Math.Max(1, outWidth - 3);
            var cropHeight = Math.Max(1, outHeight - 2);
            var left = (outWidth - cropWidth) / 2;
            var top = (outHeight - cropHeight) / 2;

            var vector = Resize(view, outWidth, outHeight, left, top, cropWidth, cropHeight, resample, scalarOnly: false);
            var scalar = Resize(view, outWidth, outHeight, left, top, cropWidth, cropHeight, resample, scalarOnly: true);

            var differing = vector.Zip(scalar).Count(pair => pair.First != pair.Second);
            Assert.True(differing == 0, $"{origin}: {differing} of {vector.Length} bytes differ");
        }
    }

    [Theory]
    [InlineData(224, "rgb")]
    [InlineData(37, "bgr")]
    [InlineData(5, "rgb")]
    public void Normalise_VectorEqualsScalar(int size, string channelOrder)
    {
        var recipe = new ImageRecipe
        {
            Size = size,
            Interpolation = "bicubic",
            ChannelOrder = channelOrder,
            Scale = 1f / 255f,
            Mean = [0.48145466f, 0.4578275f, 0.40821073f],
            Std = [0.26862954f, 0.26130258f, 0.27577711f],
        };
        var preprocessor = new ImagePreprocessor(recipe);
        var bytes = EncodePng(RandomBytes(97 * 61 * 4, seed: size), 97, 61);

        var vector = Floats(preprocessor, bytes, scalarOnly: false);
        var scalar = Floats(preprocessor, bytes, scalarOnly: true);

        Assert.Equal(3 * size * size, vector.Length);
        var differing = vector.Zip(scalar).Count(pair => BitConverter.SingleToInt32Bits(pair.First) != BitConverter.SingleToInt32Bits(pair.Second));
        Assert.True(differing == 0, $"{differing} of {vector.Length} values differ");
    }

    private static byte[] Resize(
        OrientedImage view, int width, int height, int left, int top, int cropWidth, int cropHeight, ResampleFilter filter, bool scalarOnly)
    {
        var output = new byte[cropWidth * cropHeight * 3];
        PilResampler.ScalarOnly = scalarOnly;
        try
        {
            PilResampler.ResizeAndCrop(view, width, height, left, top, cropWidth, cropHeight, filter, output);
        }
        finally
        {
            PilResampler.ScalarOnly = false;
        }

        return output;
    }

    private static float[] Floats(ImagePreprocessor preprocessor, byte[] encoded, bool scalarOnly)
    {
        PilResampler.ScalarOnly = scalarOnly;
        ImagePreprocessor.ScalarOnly = scalarOnly;
        try
        {
            PreprocessedItem item = preprocessor.Preprocess(encoded);
            return item.Inputs[0].Floats!.ToArray();
        }
        finally
        {
            PilResampler.ScalarOnly = false;
            ImagePreprocessor.ScalarOnly = false;
        }
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static byte[] EncodePng(byte[] rgba, int width, int height)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var bitmap = new SKBitmap(info);
        System.Runtime.InteropServices.Marshal.Copy(rgba, 0, bitmap.GetPixels(), rgba.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
