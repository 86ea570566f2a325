using FreeBind.Imaging;

namespace FreeBind.Tests.Imaging;

/// <summary>
/// 16-bit BMP levels, compared exactly: the golden tests allow a difference of 1, which is the
/// size of the rounding difference between Skia and Pillow here.
/// </summary>
public sealed class Bmp16BitLevelTests
{
    [Theory]
    [InlineData("bmp565-codes.bmp", 11, 5, 6)]
    [InlineData("bmp555-codes.bmp", 10, 5, 5)]
    public void Bmp16Bit_MatchesPillowLevels(string file, int redShift, int greenShift, int greenBits)
    {
        using DecodedImage decoded = ImageDecoder.Decode(ImageFixtures.Read(file), maxPixels: 1_000_000, dctScalingMinimumSide: 0);
        byte[] pixels = decoded.View().Pixels;
        byte[] bmp = ImageFixtures.Read(file);
        int pixelStart = BitConverter.ToInt32(bmp, 10);

        Assert.Equal(64, decoded.Width);
        for (int x = 0; x < decoded.Width; x++)
        {
            int value = BitConverter.ToUInt16(bmp, pixelStart + (2 * x));
            int greenMax = (1 << greenBits) - 1;

            // Pillow 9.4's BGR;15 and BGR;16 unpackers: code * 255 / max, with integer division.
            Assert.Equal(((value >> redShift) & 31) * 255 / 31, pixels[4 * x]);
            Assert.Equal(((value >> greenShift) & greenMax) * 255 / greenMax, pixels[(4 * x) + 1]);
            Assert.Equal((value & 31) * 255 / 31, pixels[(4 * x) + 2]);
        }
    }
}
