using FreeBind.Imaging;
using FreeBind.Media;

using SkiaSharp;

namespace FreeBind.Tests.Imaging;

/// <summary>Normalisation, channel order, alpha handling, 16-bit samples, DCT scaling and concurrency.</summary>
public sealed class ImagePreprocessorTests
{
    [Fact]
    public void Normalise_UsesScaleMeanAndStd()
    {
        byte[] file = ImageFixtures.Read("photo.jpg");
        float[] raw = ImageFixtures.RawPixelRecipe(32).CreatePreprocessor(".").Preprocess(file).Inputs[0].Floats!;
        var recipe = new ImageRecipe { Size = 32, JpegDctScaling = false };

        NamedTensor tensor = recipe.CreatePreprocessor(".").Preprocess(file).Inputs[0];

        Assert.Equal("pixel_values", tensor.Name);
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < 32 * 32; i += 97)
            {
                int index = (c * 32 * 32) + i;
                float expected = ((raw[index] / 255f) - recipe.Mean[c]) / recipe.Std[c];
                Assert.Equal(expected, tensor.Floats![index], 1e-5);
            }
        }
    }

    [Fact]
    public void ChannelOrderBgr_ReversesPlanes()
    {
        byte[] file = ImageFixtures.Read("photo.jpg");
        float[] rgb = ImageFixtures.RawPixelRecipe(32).CreatePreprocessor(".").Preprocess(file).Inputs[0].Floats!;
        ImageRecipe recipe = ImageFixtures.RawPixelRecipe(32);
        recipe.ChannelOrder = "bgr";
        recipe.Mean = [100f, 0f, 0f];

        float[] bgr = recipe.CreatePreprocessor(".").Preprocess(file).Inputs[0].Floats!;

        const int Plane = 32 * 32;
        Assert.Equal(rgb.AsSpan(2 * Plane, Plane).ToArray().Select(v => v - 100f), bgr.AsSpan(0, Plane).ToArray());
        Assert.Equal(rgb.AsSpan(Plane, Plane).ToArray(), bgr.AsSpan(Plane, Plane).ToArray());
        Assert.Equal(rgb.AsSpan(0, Plane).ToArray(), bgr.AsSpan(2 * Plane, Plane).ToArray());
    }

    [Fact]
    public void TransparentPixels_KeepStoredRgb()
    {
        System.Text.Json.JsonElement topRow = ImageFixtures.LoadGroup("formats").GetProperty("rgbaTopRow");

        using DecodedImage decoded = ImageDecoder.Decode(ImageFixtures.Read("rgba.png"), long.MaxValue, 0);
        OrientedImage view = decoded.View();

        int x = 0;
        foreach (System.Text.Json.JsonElement pixel in topRow.EnumerateArray())
        {
            int[] rgba = pixel.EnumerateArray().Select(v => v.GetInt32()).ToArray();
            Assert.Equal(0, rgba[3]);
            Assert.Equal(rgba, view.Pixels.AsSpan(x * 4, 4).ToArray().Select(b => (int)b).ToArray());
            x++;
        }
    }

    [Theory]
    [InlineData("gray16-steps.png")]
    [InlineData("rgb16-steps.png")]
    [InlineData("grayalpha16-steps.png")]
    [InlineData("rgba16-steps.png")]
    public void SixteenBitSamples_KeepHighByte(string file)
    {
        // Samples 0x00FF, 0x0100, 0x017F, 0x0180, 0x7FFF, 0x8000, 0xFF7F, 0xFF80 and 0xFFFF.
        byte[] expected = [0, 1, 1, 1, 127, 128, 255, 255, 255];

        using DecodedImage decoded = ImageDecoder.Decode(ImageFixtures.Read(file), long.MaxValue, 0, clampGrey16: false);
        OrientedImage view = decoded.View();

        Assert.Equal(expected.Length, decoded.Width);
        for (int x = 0; x < expected.Length; x++)
        {
            Assert.Equal([expected[x], expected[x], expected[x], 255], view.Pixels.AsSpan(x * 4, 4).ToArray());
        }
    }

    [Theory]
    [InlineData("rgb16-steps.png")]
    [InlineData("grayalpha16-steps.png")]
    [InlineData("rgba16-steps.png")]
    public void ClampGrey16_LeavesOtherColourTypes(string file)
    {
        // Pillow clamps only 16-bit grey without alpha; the other colour types keep the high byte.
        byte[] bytes = ImageFixtures.Read(file);
        using DecodedImage clamped = ImageDecoder.Decode(bytes, long.MaxValue, 0, clampGrey16: true);
        using DecodedImage highByte = ImageDecoder.Decode(bytes, long.MaxValue, 0, clampGrey16: false);

        int length = highByte.Width * highByte.Height * 4;
        Assert.Equal(highByte.View().Pixels.AsSpan(0, length).ToArray(), clamped.View().Pixels.AsSpan(0, length).ToArray());
        Assert.Null(clamped.Warning);
    }

    [Fact]
    public void ClampGrey16_WarnsOnlyWhenSamplesTurnWhite()
    {
        using DecodedImage steps = ImageDecoder.Decode(ImageFixtures.Read("gray16-steps.png"), long.MaxValue, 0);
        Assert.Equal(ImageDecoder.Grey16ClampedWarning, steps.Warning);

        // 0x00FF is the only sample below 256 in that row, so every pixel is white.
        byte[] pixels = steps.View().Pixels;
        Assert.All(Enumerable.Range(0, steps.Width), x => Assert.Equal(255, pixels[x * 4]));
    }

    [Fact]
    public void LargeJpeg_DctScalingStaysClose()
    {
        byte[] file = EncodeLargeJpeg(2400, 1800);
        ImageRecipe exact = ImageFixtures.RawPixelRecipe(224);
        ImageRecipe scaled = ImageFixtures.RawPixelRecipe(224);
        scaled.JpegDctScaling = true;

        float[] expected = exact.CreatePreprocessor(".").Preprocess(file).Inputs[0].Floats!;
        float[] actual = scaled.CreatePreprocessor(".").Preprocess(file).Inputs[0].Floats!;

        double meanDifference = expected.Zip(actual, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(meanDifference < 1.0, $"mean difference {meanDifference:F3} in 0-255 units");
        Assert.NotEqual(expected, actual);
    }

    [Fact]
    public void ParallelCalls_GiveIdenticalTensors()
    {
        IPreprocessor preprocessor = new ImageRecipe().CreatePreprocessor(".");
        string[] files = ["photo.jpg", "rose.png", "orientation6.jpg", "cmyk.jpg", "palette.png", "logo640x480.jpg"];
        Dictionary<string, byte[]> bytes = files.ToDictionary(f => f, ImageFixtures.Read);
        Dictionary<string, float[]> expected = files.ToDictionary(
            f => f,
            f => preprocessor.Preprocess(bytes[f]).Inputs[0].Floats!);
        var mismatches = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.For(0, 96, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            string file = files[i % files.Length];
            float[] actual = preprocessor.Preprocess(bytes[file]).Inputs[0].Floats!;
            if (!actual.AsSpan().SequenceEqual(expected[file]))
            {
                mismatches.Add(file);
            }
        });

        Assert.Empty(mismatches);
    }

    private static byte[] EncodeLargeJpeg(int width, int height)
    {
        using var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            using var paint = new SKPaint
            {
                Shader = SKShader.CreateLinearGradient(
                    new SKPoint(0, 0),
                    new SKPoint(width, height),
                    [SKColors.Navy, SKColors.Orange, SKColors.ForestGreen],
                    SKShaderTileMode.Clamp),
            };
            canvas.DrawRect(0, 0, width, height, paint);
            using var circle = new SKPaint { Color = SKColors.White, IsAntialias = true };
            canvas.DrawCircle(width / 2f, height / 2f, height / 4f, circle);
        }

        using SKData data = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
        return data.ToArray();
    }
}
