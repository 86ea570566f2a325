using FreeBind.Imaging;
using FreeBind.Media;

namespace FreeBind.Tests.Imaging;

/// <summary>Bad, truncated and oversized inputs.</summary>
public sealed class ImageDecodeErrorTests
{
    private readonly IPreprocessor preprocessor = ImageFixtures.RawPixelRecipe(32).CreatePreprocessor(".");

    [Fact]
    public void ZeroBytes_RaisesDecodeError()
    {
        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(ReadOnlyMemory<byte>.Empty));

        Assert.Equal("decode", error.Stage);
        Assert.Contains("empty (0 bytes)", error.Message);
    }

    [Fact]
    public void RandomBytes_RaisesDecodeError()
    {
        var bytes = new byte[4096];
        new Random(1).NextBytes(bytes);

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.Contains("not a readable image", error.Message);
        Assert.Contains("no image format recognised", error.Message);
        Assert.Contains("convert the file to PNG or JPEG", error.Message);
    }

    [Fact]
    public void TextFile_RaisesDecodeError()
    {
        byte[] bytes = "a caption, not an image\n"u8.ToArray();

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.Contains("starting 0x61206361", error.Message);
    }

    [Theory]
    [InlineData("header-only.png")]
    [InlineData("header-only.jpg")]
    public void HeaderTruncated_RaisesDecodeError(string file)
    {
        byte[] bytes = ImageFixtures.Read(file);

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.Contains("written or downloaded completely", error.Message);
    }

    [Theory]
    [InlineData("cut-before-rows-rgb.png")]
    [InlineData("cut-before-rows-rgba.png")]
    public void CutBeforePixelRows_RaisesDecodeError(string file)
    {
        byte[] bytes = ImageFixtures.Read(file);

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith("Png image data is truncated or corrupt before the first pixel row", error.Message);
    }

    [Theory]
    [InlineData("truncated.png")]
    [InlineData("truncated-rgba.png")]
    [InlineData("truncated.jpg")]
    public void DataTruncated_DecodesWithWarning(string file)
    {
        byte[] bytes = ImageFixtures.Read(file);

        PreprocessedItem item = preprocessor.Preprocess(bytes);

        Assert.Equal("image truncated: decoded the readable part", Assert.Single(item.Warnings));
        float[] values = Assert.Single(item.Inputs).Floats!;
        Assert.Equal(3 * 32 * 32, values.Length);
        Assert.Contains(values, v => v > 0f);
    }

    [Theory]
    [InlineData("gray16-filters.png")]
    [InlineData("gray16-adam7-filters.png")]
    public void Grey16Truncated_DecodesWithWarning(string file)
    {
        byte[] bytes = ImageFixtures.Read(file);
        byte[] cut = bytes[..(bytes.Length * 6 / 10)];

        using DecodedImage decoded = ImageDecoder.Decode(cut, long.MaxValue, 0);

        Assert.Equal("image truncated: decoded the readable part", decoded.Warning);
        Assert.Equal(37, decoded.Width);
        Assert.Contains(decoded.View().Pixels.AsSpan(0, 37 * 4).ToArray(), b => b > 0);
    }

    [Fact]
    public void Grey16CutBeforeRows_RaisesDecodeError()
    {
        byte[] bytes = ImageFixtures.Read("gray16-filters.png");
        byte[] cut = bytes[..(bytes.AsSpan().IndexOf("IDAT"u8) + 4 + 2)];

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(cut));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith("Png image data is truncated or corrupt before the first pixel row", error.Message);
    }

    [Fact]
    public void Grey16Mutated_DecodesOrRaisesDecodeError()
    {
        // Random byte changes inside the compressed rows: each file decodes, with or without a
        // warning, or fails with a decode error, and never with another exception.
        byte[] original = ImageFixtures.Read("gray16-adam7-filters.png");
        int dataStart = original.AsSpan().IndexOf("IDAT"u8) + 4;
        var random = new Random(16);
        int failures = 0;
        for (int trial = 0; trial < 300; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int change = 0; change < 3; change++)
            {
                bytes[random.Next(dataStart, bytes.Length - 16)] = (byte)random.Next(256);
            }

            try
            {
                using DecodedImage decoded = ImageDecoder.Decode(bytes, long.MaxValue, 0);
                Assert.Equal(37, decoded.Width);
            }
            catch (MediaException error)
            {
                Assert.Equal("decode", error.Stage);
                failures++;
            }
        }

        Assert.InRange(failures, 1, 299);
    }

    [Fact]
    public void TruncatedProgressiveJpeg_DecodesWithWarning()
    {
        // Skia reports success for a progressive file cut inside its scans, so the decoder
        // looks for the end-of-image marker itself.
        byte[] full = ImageFixtures.Read("progressive.jpg");
        byte[] truncated = full[..(full.Length / 2)];

        PreprocessedItem item = preprocessor.Preprocess(truncated);

        Assert.Equal("image truncated: decoded the readable part", Assert.Single(item.Warnings));
        Assert.Empty(preprocessor.Preprocess(full).Warnings);
    }

    [Theory]
    [InlineData("photo.jpg")]
    [InlineData("progressive.jpg")]
    [InlineData("orientation6.jpg")]
    public void JpegWithBytesAfterEnd_HasNoWarning(string file)
    {
        byte[] bytes = [.. ImageFixtures.Read(file), .. "trailing bytes"u8, 0xFF, 0xD8, 0x00];

        PreprocessedItem item = preprocessor.Preprocess(bytes);

        Assert.Empty(item.Warnings);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 0x1C, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63 }, "HEIF")]
    [InlineData(new byte[] { 0, 0, 0, 0x1C, 0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66 }, "AVIF")]
    [InlineData(new byte[] { 0x38, 0x42, 0x50, 0x53, 0, 1 }, "Photoshop (PSD)")]
    public void UnsupportedFormat_NamedInError(byte[] head, string format)
    {
        byte[] bytes = [.. head, .. new byte[256]];

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith($"{format} images are not supported ({bytes.Length} bytes", error.Message);
        Assert.EndsWith("convert the file to PNG or JPEG", error.Message);
    }

    [Fact]
    public void TruncatedJpeg_KeepsTopRowsOfFullImage()
    {
        byte[] full = ImageFixtures.Read("photo.jpg");
        byte[] truncated = ImageFixtures.Read("truncated.jpg");

        float[] expected = preprocessor.Preprocess(full).Inputs[0].Floats!;
        float[] actual = preprocessor.Preprocess(truncated).Inputs[0].Floats!;

        // Row 0 of the red plane lies in the part of the file that is still there.
        Assert.Equal(expected.AsSpan(0, 32).ToArray(), actual.AsSpan(0, 32).ToArray());
    }

    [Fact]
    public void HugeHeader_RejectedBeforeDecoding()
    {
        byte[] bytes = ImageFixtures.Read("huge-header.png");

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.Equal(
            "image is 100000×100000 pixels, above the limit of 100000000; " +
            "raise maxPixels in the image recipe or resize the image",
            error.Message);
    }

    [Theory]
    [InlineData("wide-1000001.png", "1000001×1")]
    [InlineData("tall-1000001.png", "1×1000001")]
    public void PngSideAboveLibpngLimit_NamesLimit(string file, string size)
    {
        byte[] bytes = ImageFixtures.Read(file);

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.Equal(
            $"PNG image is {size} pixels, and the PNG decoder (libpng in SkiaSharp) " +
            "accepts at most 1000000 pixels per side; split or resize the image",
            error.Message);
    }

    [Fact]
    public void PngSideAtLibpngLimit_Decodes()
    {
        byte[] bytes = ImageFixtures.Read("wide-1000000.png");

        using DecodedImage decoded = ImageDecoder.Decode(bytes, maxPixels: 100_000_000, dctScalingMinimumSide: 0);

        Assert.Equal(1_000_000, decoded.Width);
        Assert.Equal(1, decoded.Height);
        Assert.Null(decoded.Warning);
        OrientedImage view = decoded.View();
        Assert.Equal(128, view.Pixels[view.Offset + (999_999 * view.StepX)]);
    }

    [Fact]
    public void MaxPixels_AppliesToHeaderSize()
    {
        ImageRecipe recipe = ImageFixtures.RawPixelRecipe(32);
        recipe.MaxPixels = 240 * 180 - 1;
        IPreprocessor strict = recipe.CreatePreprocessor(".");
        byte[] bytes = ImageFixtures.Read("photo.jpg");

        MediaException error = Assert.Throws<MediaException>(() => strict.Preprocess(bytes));

        Assert.Contains("240×180", error.Message);
        recipe.MaxPixels = 240 * 180;
        Assert.Single(recipe.CreatePreprocessor(".").Preprocess(bytes).Inputs);
    }
}
