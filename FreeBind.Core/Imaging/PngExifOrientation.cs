using System.Buffers.Binary;

using SkiaSharp;

namespace FreeBind.Imaging;

/// <summary>Reads the EXIF orientation tag from the <c>eXIf</c> chunk of a PNG file.</summary>
/// <remarks>
/// SkiaSharp 4.156 reports <see cref="SKEncodedOrigin.TopLeft"/> for every PNG, so this reader
/// fills the gap. It follows what Pillow 9.4's <c>ImageOps.exif_transpose</c> does, checked by
/// running it. The chunk counts anywhere before <c>IEND</c>, although the PNG specification
/// requires it before the first <c>IDAT</c>. The last of several chunks wins, and the chunk must
/// start with a TIFF header. Pillow raises an error on a chunk that starts with the JPEG APP1
/// prefix <c>Exif\0\0</c>, while this reader treats such a chunk as having no orientation.
/// </remarks>
internal static class PngExifOrientation
{
    private const int SignatureLength = 8;
    private const ushort OrientationTag = 0x0112;
    private const ushort TypeShort = 3;
    private const ushort TypeLong = 4;

    /// <summary>
    /// Reads the orientation stored in the last <c>eXIf</c> chunk of <paramref name="png"/>, or
    /// <see cref="SKEncodedOrigin.TopLeft"/> when there is none or it is unreadable.
    /// </summary>
    public static SKEncodedOrigin Read(ReadOnlySpan<byte> png)
    {
        ReadOnlySpan<byte> exif = FindLastExifChunk(png);
        return exif.IsEmpty ? SKEncodedOrigin.TopLeft : ReadTiffOrientation(exif);
    }

    private static ReadOnlySpan<byte> FindLastExifChunk(ReadOnlySpan<byte> png)
    {
        ReadOnlySpan<byte> last = default;
        long offset = SignatureLength;

        // Each chunk is a 4-byte big-endian length, a 4-byte type, the data and a 4-byte CRC.
        while (offset + 8 <= png.Length)
        {
            uint length = BinaryPrimitives.ReadUInt32BigEndian(png[(int)offset..]);
            ReadOnlySpan<byte> type = png.Slice((int)offset + 4, 4);
            long dataStart = offset + 8;
            if (type.SequenceEqual("IEND"u8) || length > png.Length - dataStart)
            {
                break;
            }

            if (type.SequenceEqual("eXIf"u8))
            {
                last = png.Slice((int)dataStart, (int)length);
            }

            offset = dataStart + length + 4;
        }

        return last;
    }

    private static SKEncodedOrigin ReadTiffOrientation(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8)
        {
            return SKEncodedOrigin.TopLeft;
        }

        bool littleEndian;
        if (tiff.StartsWith("II*\0"u8))
        {
            littleEndian = true;
        }
        else if (tiff.StartsWith("MM\0*"u8))
        {
            littleEndian = false;
        }
        else
        {
            return SKEncodedOrigin.TopLeft;
        }

        uint ifdOffset = ReadUInt32(tiff[4..], littleEndian);
        if (ifdOffset > tiff.Length - 2)
        {
            return SKEncodedOrigin.TopLeft;
        }

        int entryCount = ReadUInt16(tiff[(int)ifdOffset..], littleEndian);
        for (int i = 0; i < entryCount; i++)
        {
            long entryStart = ifdOffset + 2 + (12L * i);
            if (entryStart + 12 > tiff.Length)
            {
                break;
            }

            ReadOnlySpan<byte> entry = tiff.Slice((int)entryStart, 12);
            if (ReadUInt16(entry, littleEndian) != OrientationTag)
            {
                continue;
            }

            // Pillow 9.4 uses the first value when a writer stored more than one.
            uint value = ReadFirstValue(tiff, entry, littleEndian);
            return value is >= 1 and <= 8 ? (SKEncodedOrigin)value : SKEncodedOrigin.TopLeft;
        }

        return SKEncodedOrigin.TopLeft;
    }

    private static uint ReadFirstValue(ReadOnlySpan<byte> tiff, ReadOnlySpan<byte> entry, bool littleEndian)
    {
        ushort type = ReadUInt16(entry[2..], littleEndian);
        uint count = ReadUInt32(entry[4..], littleEndian);
        int valueSize = type switch
        {
            TypeShort => 2,
            TypeLong => 4,
            _ => 0,
        };
        if (valueSize == 0 || count == 0)
        {
            return 0;
        }

        // Values that fit in the entry's 4-byte field are stored in it, and larger arrays at an offset.
        ReadOnlySpan<byte> field = entry[8..];
        if ((long)count * valueSize > 4)
        {
            uint valueOffset = ReadUInt32(field, littleEndian);
            if (valueOffset > tiff.Length - valueSize)
            {
                return 0;
            }

            field = tiff[(int)valueOffset..];
        }

        return valueSize == 2 ? ReadUInt16(field, littleEndian) : ReadUInt32(field, littleEndian);
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> bytes, bool littleEndian) => littleEndian
        ? BinaryPrimitives.ReadUInt16LittleEndian(bytes)
        : BinaryPrimitives.ReadUInt16BigEndian(bytes);

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool littleEndian) => littleEndian
        ? BinaryPrimitives.ReadUInt32LittleEndian(bytes)
        : BinaryPrimitives.ReadUInt32BigEndian(bytes);
}
