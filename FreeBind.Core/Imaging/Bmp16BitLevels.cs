using System.Buffers.Binary;

namespace FreeBind.Imaging;

/// <summary>
/// Rescales the 5- and 6-bit channels of a 16-bit BMP to the 8-bit levels Pillow gives them.
/// </summary>
/// <remarks>
/// Pillow 9.4 unpacks a 16-bit BMP with its <c>BGR;15</c> (5-5-5, the BI_RGB layout) or
/// <c>BGR;16</c> (5-6-5) raw modes, which compute <c>code * 255 / max</c> with integer division.
/// SkiaSharp 4.156 rounds the same quotient, so about half of the levels come out one higher.
/// Because rounding keeps the codes apart, each Skia level maps back to one code. Pillow rejects
/// other bit-field layouts, so those keep Skia's levels.
/// </remarks>
internal static class Bmp16BitLevels
{
    private const int FileHeaderLength = 14;
    private const uint CompressionRgb = 0;
    private const uint CompressionBitFields = 3;

    private static readonly byte[] FiveBitLevels = CreateLevels(31);
    private static readonly byte[] SixBitLevels = CreateLevels(63);

    /// <summary>
    /// Rewrites the RGB levels in <paramref name="rgba"/> when <paramref name="bmp"/> is a 16-bit
    /// BMP with the 5-5-5 or 5-6-5 layout. Other files are left unchanged.
    /// </summary>
    public static void Apply(ReadOnlySpan<byte> bmp, Span<byte> rgba)
    {
        if (!TryReadGreenBits(bmp, out int greenBits))
        {
            return;
        }

        byte[] green = greenBits == 6 ? SixBitLevels : FiveBitLevels;
        for (int i = 0; i + 3 < rgba.Length; i += 4)
        {
            rgba[i] = FiveBitLevels[rgba[i]];
            rgba[i + 1] = green[rgba[i + 1]];
            rgba[i + 2] = FiveBitLevels[rgba[i + 2]];
        }
    }

    // Maps each level Skia gives, round(code * 255 / max), to Pillow's code * 255 / max.
    private static byte[] CreateLevels(int max)
    {
        var levels = new byte[256];
        for (int level = 0; level < 256; level++)
        {
            int code = ((level * max) + 127) / 255;
            levels[level] = (byte)(code * 255 / max);
        }

        return levels;
    }

    private static bool TryReadGreenBits(ReadOnlySpan<byte> bmp, out int greenBits)
    {
        greenBits = 0;

        // BITMAPINFOHEADER and its V2-V5 successors are at least 40 bytes long, and the three
        // colour masks follow those 40 bytes. The 64-byte OS/2 header gives compression 3 another meaning.
        const int MasksEnd = FileHeaderLength + 40 + 12;
        if (bmp.Length < MasksEnd || !bmp.StartsWith("BM"u8))
        {
            return false;
        }

        uint headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bmp[FileHeaderLength..]);
        ushort bitCount = BinaryPrimitives.ReadUInt16LittleEndian(bmp[(FileHeaderLength + 14)..]);
        uint compression = BinaryPrimitives.ReadUInt32LittleEndian(bmp[(FileHeaderLength + 16)..]);
        if (headerLength < 40 || headerLength == 64 || bitCount != 16)
        {
            return false;
        }

        if (compression == CompressionRgb)
        {
            greenBits = 5;
            return true;
        }

        if (compression != CompressionBitFields)
        {
            return false;
        }

        uint red = BinaryPrimitives.ReadUInt32LittleEndian(bmp[(FileHeaderLength + 40)..]);
        uint green = BinaryPrimitives.ReadUInt32LittleEndian(bmp[(FileHeaderLength + 44)..]);
        uint blue = BinaryPrimitives.ReadUInt32LittleEndian(bmp[(FileHeaderLength + 48)..]);
        greenBits = (red, green, blue) switch
        {
            (0xF800, 0x07E0, 0x001F) => 6,
            (0x7C00, 0x03E0, 0x001F) => 5,
            _ => 0,
        };
        return greenBits != 0;
    }
}
