namespace FreeBind.Imaging;

/// <summary>Names common image formats that SkiaSharp cannot decode, from their first bytes.</summary>
internal static class ImageSignature
{
    /// <summary>
    /// Returns the format name of <paramref name="bytes"/> when it starts like a HEIF,
    /// AVIF, JPEG 2000, JPEG XL, Photoshop, PDF or SVG file, or null.
    /// </summary>
    public static string? NameUnsupported(ReadOnlySpan<byte> bytes)
    {
        // ISO base media files have an "ftyp" box first, whose major brand names the format.
        if (bytes.Length >= 12 && bytes.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            ReadOnlySpan<byte> brand = bytes.Slice(8, 4);
            if (brand.SequenceEqual("avif"u8) || brand.SequenceEqual("avis"u8))
            {
                return "AVIF";
            }

            if (brand.SequenceEqual("heic"u8) || brand.SequenceEqual("heix"u8) || brand.SequenceEqual("mif1"u8)
                || brand.SequenceEqual("msf1"u8) || brand.SequenceEqual("hevc"u8))
            {
                return "HEIF";
            }
        }

        if (bytes.StartsWith("\0\0\0\x0CjP  \r\n\x87\n"u8) || bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x4F, 0xFF, 0x51]))
        {
            return "JPEG 2000";
        }

        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xFF, 0x0A]) || bytes.StartsWith("\0\0\0\x0CJXL \r\n\x87\n"u8))
        {
            return "JPEG XL";
        }

        if (bytes.StartsWith("8BPS"u8))
        {
            return "Photoshop (PSD)";
        }

        if (bytes.StartsWith("%PDF"u8))
        {
            return "PDF";
        }

        ReadOnlySpan<byte> head = bytes[..Math.Min(bytes.Length, 256)];
        return head.IndexOf("<svg"u8) >= 0 ? "SVG" : null;
    }
}
