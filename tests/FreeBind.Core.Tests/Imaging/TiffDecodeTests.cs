using FreeBind.Imaging;
using FreeBind.Media;

namespace FreeBind.Tests.Imaging;

/// <summary>The libtiff path: library presence, damaged and oversized files, and layouts it rejects.</summary>
public sealed class TiffDecodeTests
{
    private readonly IPreprocessor preprocessor = ImageFixtures.RawPixelRecipe(32).CreatePreprocessor(".");

    public static IEnumerable<object[]> TiffFiles() =>
        Directory.EnumerateFiles(ImageFixtures.Folder, "tiff-*.tif")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(file => new object[] { file! });

    [Fact]
    public void Library_IsInstalled()
    {
        Assert.True(
            LibTiff.Available,
            "libtiff.so.6 (4.5 or later) did not load: install the Debian package libtiff6 " +
            "(test.sh installs debian-packages.txt as root).");
    }

    [Theory]
    [InlineData("tiff-header-only.tif")]
    [InlineData("tiff-truncated-directory.tif")]
    public void NoReadableDirectory_RaisesDecodeError(string file)
    {
        byte[] bytes = ImageFixtures.Read(file);

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith($"TIFF file could not be opened ({bytes.Length} bytes, starting 0x49492A00", error.Message);
        Assert.Contains("libtiff reported \"", error.Message);
        Assert.DoesNotContain("no message", error.Message);
        Assert.EndsWith("check that the file was written or downloaded completely", error.Message);
    }

    [Fact]
    public void CutBeforePixelRows_RaisesDecodeError()
    {
        byte[] bytes = ImageFixtures.Read("tiff-cut-before-rows.tif");

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith("TIFF image 45×30 has no readable strip or tile: libtiff reported \"", error.Message);
        Assert.DoesNotContain("no message", error.Message);
    }

    [Fact]
    public void TruncatedStrips_DecodesTopRowsWithWarning()
    {
        using DecodedImage full = ImageDecoder.Decode(ImageFixtures.Read("tiff-strips.tif"), 1_000_000, 0);
        using DecodedImage truncated = ImageDecoder.Decode(ImageFixtures.Read("tiff-truncated-strips.tif"), 1_000_000, 0);

        Assert.Null(full.Warning);
        Assert.NotNull(truncated.Warning);
        Assert.StartsWith("TIFF image partly unreadable (", truncated.Warning);
        Assert.EndsWith("): decoded the readable part", truncated.Warning);

        // The cut keeps 60 % of the file, so the first strip of 5 rows is complete.
        int rowBytes = 45 * 4;
        Assert.Equal(
            full.View().Pixels.AsSpan(0, 5 * rowBytes).ToArray(),
            truncated.View().Pixels.AsSpan(0, 5 * rowBytes).ToArray());
    }

    [Fact]
    public void TruncatedStrips_PreprocessReportsWarning()
    {
        PreprocessedItem item = preprocessor.Preprocess(ImageFixtures.Read("tiff-truncated-strips.tif"));

        Assert.StartsWith("TIFF image partly unreadable", Assert.Single(item.Warnings));
    }

    [Fact]
    public void HugeHeader_RejectedBeforeDecoding()
    {
        byte[] bytes = ImageFixtures.Read("tiff-huge-header.tif");

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.Equal(
            "image is 100000×100000 pixels, above the limit of 100000000; " +
            "raise maxPixels in the image recipe or resize the image",
            error.Message);
    }

    [Fact]
    public void MaxPixels_AppliesToTiff()
    {
        ImageRecipe recipe = ImageFixtures.RawPixelRecipe(32);
        recipe.MaxPixels = (45 * 30) - 1;
        byte[] bytes = ImageFixtures.Read("tiff-rgb.tif");

        MediaException error = Assert.Throws<MediaException>(() => recipe.CreatePreprocessor(".").Preprocess(bytes));

        Assert.Contains("45×30", error.Message);
        recipe.MaxPixels = 45 * 30;
        Assert.Single(recipe.CreatePreprocessor(".").Preprocess(bytes).Inputs);
    }

    [Fact]
    public void FloatSamples_RaiseDecodeErrorNamingLayout()
    {
        byte[] bytes = ImageFixtures.Read("tiff-float.tif");

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith("TIFF image cannot be converted to RGB: only unsigned integer samples are supported", error.Message);
        Assert.Contains("SampleFormat 3", error.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0 })]
    [InlineData(new byte[] { 0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8 })]
    [InlineData(new byte[] { 0x49, 0x49, 0x2B, 0x00, 8, 0, 0, 0 })]
    public void EmptyDirectory_RaisesDecodeError(byte[] head)
    {
        byte[] bytes = [.. head, .. new byte[256]];

        MediaException error = Assert.Throws<MediaException>(() => preprocessor.Preprocess(bytes));

        Assert.Equal("decode", error.Stage);
        Assert.StartsWith($"TIFF file could not be opened ({bytes.Length} bytes", error.Message);
    }

    [Theory]
    [MemberData(nameof(TiffFiles))]
    public void CutAnywhere_DecodesOrRaisesDecodeError(string file)
    {
        byte[] original = ImageFixtures.Read(file);
        for (int part = 1; part < 32; part++)
        {
            byte[] bytes = original[..(original.Length * part / 32)];

            try
            {
                PreprocessedItem item = preprocessor.Preprocess(bytes);
                Assert.Equal(3 * 32 * 32, Assert.Single(item.Inputs).Floats!.Length);
            }
            catch (MediaException error)
            {
                Assert.Equal("decode", error.Stage);
            }
        }
    }

    [Theory]
    [MemberData(nameof(TiffFiles))]
    public void CorruptedBytes_DecodeOrRaiseDecodeError(string file)
    {
        // Overwrites bytes at random places, in the directory and in the pixel data. libtiff must
        // report every problem through a return value: a native abort would end the test run.
        byte[] original = ImageFixtures.Read(file);
        ImageRecipe recipe = ImageFixtures.RawPixelRecipe(32);
        recipe.MaxPixels = 1_000_000;
        IPreprocessor bounded = recipe.CreatePreprocessor(".");
        var random = new Random(file.Length);
        for (int trial = 0; trial < 40; trial++)
        {
            byte[] bytes = (byte[])original.Clone();
            for (int change = 0; change < 1 + (trial % 4); change++)
            {
                int position = trial % 2 == 0 ? random.Next(Math.Min(bytes.Length, 512)) : random.Next(bytes.Length);
                bytes[position] = (byte)random.Next(256);
            }

            try
            {
                PreprocessedItem item = bounded.Preprocess(bytes);
                Assert.Equal(3 * 32 * 32, Assert.Single(item.Inputs).Floats!.Length);
            }
            catch (MediaException error)
            {
                Assert.Equal("decode", error.Stage);
            }
        }
    }
}
