namespace FreeBind.Imaging;

/// <summary>
/// Finds the RGB colour that Pillow's <c>convert("RGB")</c> gives the transparent pixels of a
/// GIF's first frame, and the pixels outside that frame.
/// </summary>
/// <remarks>
/// SkiaSharp 4.156 decodes those pixels as transparent black (0, 0, 0, 0). Pillow 9.4 opens the
/// first frame in mode P and fills the canvas with the transparent index, or index 0 when the
/// frame has no transparency. It converts every pixel through the frame's palette, which is the
/// local colour table when present and the global one otherwise. Without any colour table,
/// Pillow uses mode L, where the index is the grey level. Checked by running Pillow 9.4 on GIF files with a transparent
/// index and with a logical screen larger than the first frame.
/// </remarks>
internal static class GifHiddenColour
{
    private const byte ExtensionIntroducer = 0x21;
    private const byte ImageSeparator = 0x2C;
    private const byte GraphicControlLabel = 0xF9;

    /// <summary>
    /// Reads the colour Pillow gives the transparent pixels of <paramref name="gif"/>'s first frame.
    /// </summary>
    /// <returns>False when the blocks before the first image descriptor are damaged or missing.</returns>
    public static bool TryRead(ReadOnlySpan<byte> gif, out byte red, out byte green, out byte blue)
    {
        red = green = blue = 0;
        const int ScreenDescriptorEnd = 13;
        if (gif.Length < ScreenDescriptorEnd || !gif.StartsWith("GIF"u8))
        {
            return false;
        }

        int offset = ScreenDescriptorEnd;
        if (!TrySkipColourTable(gif, gif[10], ref offset, out int globalStart, out int globalLength))
        {
            return false;
        }

        int index = 0;
        while (offset < gif.Length)
        {
            byte introducer = gif[offset];
            if (introducer == ExtensionIntroducer && offset + 1 < gif.Length)
            {
                byte label = gif[offset + 1];
                offset += 2;

                // The graphic control extension has one 4-byte sub-block: flags, delay (2 bytes)
                // and the transparent index. Bit 0 of the flags is set when the index is used.
                if (label == GraphicControlLabel && offset + 5 <= gif.Length && gif[offset] == 4
                    && (gif[offset + 1] & 1) != 0)
                {
                    index = gif[offset + 4];
                }

                if (!TrySkipSubBlocks(gif, ref offset))
                {
                    return false;
                }
            }
            else if (introducer == ImageSeparator)
            {
                // The image descriptor: separator, left, top, width, height (2 bytes each), flags.
                const int DescriptorLength = 10;
                if (offset + DescriptorLength > gif.Length)
                {
                    return false;
                }

                int tableOffset = offset + DescriptorLength;
                if (!TrySkipColourTable(gif, gif[offset + 9], ref tableOffset, out int localStart, out int localLength))
                {
                    return false;
                }

                ReadOnlySpan<byte> table = localLength > 0
                    ? gif.Slice(localStart, localLength)
                    : gif.Slice(globalStart, globalLength);
                if (table.IsEmpty)
                {
                    red = green = blue = (byte)index;
                }
                else if (3 * index + 3 <= table.Length)
                {
                    red = table[3 * index];
                    green = table[(3 * index) + 1];
                    blue = table[(3 * index) + 2];
                }

                return true;
            }
            else
            {
                // The trailer, or a damaged block, before any image.
                return false;
            }
        }

        return false;
    }

    // Bit 7 of the flags is set when a colour table follows, and bits 0-2 give its size as
    // 2^(n + 1) RGB entries.
    private static bool TrySkipColourTable(
        ReadOnlySpan<byte> gif, byte flags, ref int offset, out int tableStart, out int tableLength)
    {
        tableStart = offset;
        tableLength = (flags & 0x80) == 0 ? 0 : 3 << ((flags & 7) + 1);
        if (offset + tableLength > gif.Length)
        {
            return false;
        }

        offset += tableLength;
        return true;
    }

    // Data sub-blocks are a length byte followed by that many bytes, ended by a zero length.
    private static bool TrySkipSubBlocks(ReadOnlySpan<byte> gif, ref int offset)
    {
        while (offset < gif.Length)
        {
            int length = gif[offset];
            offset += 1 + length;
            if (length == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Sets the RGB of every pixel with alpha 0 in <paramref name="rgba"/> to the given colour.</summary>
    public static void Fill(Span<byte> rgba, byte red, byte green, byte blue)
    {
        for (int i = 0; i + 3 < rgba.Length; i += 4)
        {
            if (rgba[i + 3] == 0)
            {
                rgba[i] = red;
                rgba[i + 1] = green;
                rgba[i + 2] = blue;
            }
        }
    }
}
