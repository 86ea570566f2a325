using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

using FreeBind.Media;

using SkiaSharp;

namespace FreeBind.Imaging;

/// <summary>
/// Decodes a 16-bit greyscale PNG without alpha (colour type 0) and clamps each sample to 255, as
/// Pillow 9.4 does: it opens such a file as mode I, and <c>convert("RGB")</c> clips to 0-255.
/// </summary>
/// <remarks>
/// SkiaSharp reduces these files to 8 bits before any caller sees a sample, so this decoder reads
/// the file itself: the IDAT chunks are inflated with <see cref="ZLibStream"/> and unfiltered row
/// by row, interlaced (Adam7) or not. Chunk CRCs are not checked, as Skia and Pillow skip them for
/// ancillary chunks. A file cut short keeps the rows it holds; the others stay transparent black.
/// </remarks>
internal static class PngGrey16Decoder
{
    private const int SignatureLength = 8;
    private const int BytesPerSample = 2;

    // Adam7 passes: first column, first row, column step and row step.
    private static readonly (int X, int Y, int StepX, int StepY)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    /// <summary>Returns whether the PNG header declares 16-bit greyscale without alpha.</summary>
    public static bool IsGrey16(ReadOnlySpan<byte> png) =>
        png.Length >= 29 && png[12..16].SequenceEqual("IHDR"u8) && png[24] == 16 && png[25] == 0;

    /// <summary>
    /// Decodes <paramref name="png"/>, whose size the caller has checked, to RGBA8888 with each
    /// sample clamped to 255.
    /// </summary>
    /// <exception cref="MediaException">Stage decode: no pixel row could be read.</exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> png, SKEncodedOrigin origin)
    {
        int width = (int)BinaryPrimitives.ReadUInt32BigEndian(png[16..]);
        int height = (int)BinaryPrimitives.ReadUInt32BigEndian(png[20..]);
        bool interlaced = png[28] == 1;
        int byteCount = width * height * 4;
        byte[] pixels = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            pixels.AsSpan(0, byteCount).Clear();
            using var compressed = new MemoryStream(CollectImageData(png, out bool cut), writable: false);
            using var inflater = new ZLibStream(compressed, CompressionMode.Decompress);
            var reader = new RowReader(inflater, pixels, width);
            bool complete = interlaced ? ReadInterlaced(reader, width, height) : reader.ReadPass(0, 0, 1, 1, width, height);
            return Finish(pixels, width, height, origin, reader, complete && !cut);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pixels);
            throw;
        }
    }

    private static bool ReadInterlaced(RowReader reader, int width, int height)
    {
        foreach ((int x, int y, int stepX, int stepY) in Adam7)
        {
            int columns = (width - x + stepX - 1) / stepX;
            int rows = (height - y + stepY - 1) / stepY;
            if (columns > 0 && rows > 0 && !reader.ReadPass(x, y, stepX, stepY, columns, rows))
            {
                return false;
            }
        }

        return true;
    }

    private static DecodedImage Finish(byte[] pixels, int width, int height, SKEncodedOrigin origin, RowReader reader, bool complete)
    {
        if (reader.RowsRead == 0)
        {
            throw new MediaException(
                "decode",
                "Png image data is truncated or corrupt before the first pixel row; " +
                "check that the file was written or downloaded completely");
        }

        string? warning = null;
        if (!complete)
        {
            warning = reader.Corrupt ? ImageDecoder.CorruptWarning : ImageDecoder.TruncatedWarning;
        }
        else if (reader.Clamped)
        {
            warning = ImageDecoder.Grey16ClampedWarning;
        }

        return new DecodedImage(pixels, width, height, origin, width, height, warning);
    }

    /// <summary>Concatenates the data of every IDAT chunk; <paramref name="cut"/> is set when the file ends inside one.</summary>
    private static byte[] CollectImageData(ReadOnlySpan<byte> png, out bool cut)
    {
        var data = new ArrayBufferWriter<byte>();
        int offset = SignatureLength;
        cut = true;

        // Each chunk is a 4-byte big-endian length, a 4-byte type, the data and a 4-byte CRC.
        while (offset + 8 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[offset..]);
            ReadOnlySpan<byte> type = png.Slice(offset + 4, 4);
            int start = offset + 8;
            if (type.SequenceEqual("IEND"u8))
            {
                cut = false;
                break;
            }

            int available = (int)Math.Min(length, (uint)(png.Length - start));
            if (type.SequenceEqual("IDAT"u8))
            {
                data.Write(png.Slice(start, available));
            }

            if (available < length)
            {
                break;
            }

            offset = start + available + 4;
        }

        return data.WrittenSpan.ToArray();
    }

    /// <summary>Reads filtered rows from the inflated stream and writes clamped samples into the image.</summary>
    private sealed class RowReader(Stream inflated, byte[] target, int width)
    {
        /// <summary>Rows read and unfiltered, over all passes.</summary>
        public int RowsRead { get; private set; }

        /// <summary>Whether a sample above 255 was clamped to white.</summary>
        public bool Clamped { get; private set; }

        /// <summary>Whether reading stopped at bad data rather than at the end of the data.</summary>
        public bool Corrupt { get; private set; }

        /// <summary>
        /// Reads <paramref name="rows"/> rows of <paramref name="columns"/> samples, placed from
        /// (<paramref name="x"/>, <paramref name="y"/>) every <paramref name="stepX"/> columns and
        /// <paramref name="stepY"/> rows. Returns false when the data ends or is corrupt first.
        /// </summary>
        public bool ReadPass(int x, int y, int stepX, int stepY, int columns, int rows)
        {
            int rowBytes = columns * BytesPerSample;
            byte[] previous = new byte[rowBytes];
            byte[] current = new byte[rowBytes + 1];
            for (int row = 0; row < rows; row++)
            {
                if (!TryFill(current))
                {
                    return false;
                }

                Span<byte> line = current.AsSpan(1);
                if (!Unfilter(current[0], line, previous))
                {
                    Corrupt = true;
                    return false;
                }

                int targetRow = (y + (row * stepY)) * width;
                for (int column = 0; column < columns; column++)
                {
                    int sample = (line[column * 2] << 8) | line[(column * 2) + 1];
                    byte level = sample > 255 ? (byte)255 : (byte)sample;
                    Clamped |= sample > 255;
                    int index = (targetRow + x + (column * stepX)) * 4;
                    target[index] = level;
                    target[index + 1] = level;
                    target[index + 2] = level;
                    target[index + 3] = 255;
                }

                line.CopyTo(previous);
                RowsRead++;
            }

            return true;
        }

        private bool TryFill(byte[] buffer)
        {
            try
            {
                int filled = 0;
                while (filled < buffer.Length)
                {
                    int read = inflated.Read(buffer, filled, buffer.Length - filled);
                    if (read == 0)
                    {
                        return false;
                    }

                    filled += read;
                }

                return true;
            }
            catch (InvalidDataException)
            {
                Corrupt = true;
                return false;
            }
        }

        /// <summary>Reverses a PNG row filter in place, with 2 bytes per pixel. Returns false for an unknown filter type.</summary>
        private static bool Unfilter(byte filter, Span<byte> line, ReadOnlySpan<byte> previous)
        {
            switch (filter)
            {
                case 0:
                    return true;
                case 1:
                    for (int i = BytesPerSample; i < line.Length; i++)
                    {
                        line[i] += line[i - BytesPerSample];
                    }

                    return true;
                case 2:
                    for (int i = 0; i < line.Length; i++)
                    {
                        line[i] += previous[i];
                    }

                    return true;
                case 3:
                    for (int i = 0; i < line.Length; i++)
                    {
                        int left = i >= BytesPerSample ? line[i - BytesPerSample] : 0;
                        line[i] += (byte)((left + previous[i]) / 2);
                    }

                    return true;
                case 4:
                    for (int i = 0; i < line.Length; i++)
                    {
                        int left = i >= BytesPerSample ? line[i - BytesPerSample] : 0;
                        int upLeft = i >= BytesPerSample ? previous[i - BytesPerSample] : 0;
                        line[i] += Paeth(left, previous[i], upLeft);
                    }

                    return true;
                default:
                    return false;
            }
        }

        private static byte Paeth(int left, int up, int upLeft)
        {
            int estimate = left + up - upLeft;
            int toLeft = Math.Abs(estimate - left);
            int toUp = Math.Abs(estimate - up);
            int toUpLeft = Math.Abs(estimate - upLeft);
            if (toLeft <= toUp && toLeft <= toUpLeft)
            {
                return (byte)left;
            }

            return toUp <= toUpLeft ? (byte)up : (byte)upLeft;
        }
    }
}
