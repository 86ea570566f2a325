using FreeBind.Imaging;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests.Imaging;

/// <summary>The system libjpeg-turbo path gives the same pixels as SkiaSharp's decoder.</summary>
public sealed class TurboJpegTests
{
    public static IEnumerable<object[]> JpegFiles() =>
        Directory.EnumerateFiles(ImageFixtures.Folder, "*.jpg")
            .Concat(Directory.EnumerateFiles(SamplePaths.Corpus(), "*.jpg"))
            .Order(StringComparer.Ordinal)
            .Select(path => new object[] { path });

    [Fact]
    public void Library_IsInstalled()
    {
        Assert.True(
            TurboJpeg.Available,
            "libturbojpeg.so.0 did not load: install the Debian package libturbojpeg0 (test.sh installs debian-packages.txt as root).");
    }

    [Theory]
    [MemberData(nameof(JpegFiles))]
    public void Pixels_EqualSkiaSharp(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var fast = TryDecode(bytes, useTurboJpeg: true);
        var skia = TryDecode(bytes, useTurboJpeg: false);

        Assert.Equal(skia is null, fast is null);
        if (skia is null || fast is null)
        {
            return;
        }

        Assert.Equal(skia.Value.Width, fast.Value.Width);
        Assert.Equal(skia.Value.Height, fast.Value.Height);
        Assert.Equal(skia.Value.Warning, fast.Value.Warning);
        var differing = skia.Value.Pixels.Zip(fast.Value.Pixels).Count(p => p.First != p.Second);
        Assert.True(differing == 0, $"{Path.GetFileName(path)}: {differing} of {skia.Value.Pixels.Length} bytes differ");
    }

    [Fact]
    public void Cmyk_IsLeftToSkiaSharp()
    {
        var bytes = ImageFixtures.Read("cmyk.jpg");
        var rgba = new byte[64 * 1024 * 1024];

        using var codec = SkiaSharp.SKCodec.Create(new SkiaSharp.SKMemoryStream(bytes));

        Assert.False(TurboJpeg.TryDecode(bytes, codec.Info.Width, codec.Info.Height, rgba));
    }

    private static (int Width, int Height, string? Warning, byte[] Pixels)? TryDecode(byte[] bytes, bool useTurboJpeg)
    {
        TurboJpeg.Enabled = useTurboJpeg;
        try
        {
            using var image = ImageDecoder.Decode(bytes, 100_000_000, 0);
            var view = image.View();
            var pixels = new byte[view.Width * view.Height * 4];
            for (var y = 0; y < view.Height; y++)
            {
                for (var x = 0; x < view.Width; x++)
                {
                    var source = view.Offset + (x * view.StepX) + (y * view.StepY);
                    view.Pixels.AsSpan(source, 4).CopyTo(pixels.AsSpan(((y * view.Width) + x) * 4));
                }
            }

            return (image.Width, image.Height, image.Warning, pixels);
        }
        catch (FreeBind.Media.MediaException)
        {
            return null;
        }
        finally
        {
            TurboJpeg.Enabled = true;
        }
    }
}
