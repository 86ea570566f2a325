using System.Buffers.Binary;

namespace FreeBind.Imaging;

/// <summary>Checks whether a JPEG file reaches its end-of-image (EOI) marker.</summary>
/// <remarks>
/// SkiaSharp 4.156 reports success for a progressive JPEG cut inside its scans, although
/// libjpeg-turbo warns "Premature end of JPEG file" and Pillow 9.4 raises "image file is
/// truncated". Walking the markers finds such files, so they get the same warning as other
/// truncated images.
/// </remarks>
internal static class JpegEndMarker
{
    private const byte Marker = 0xFF;
    private const byte StartOfImage = 0xD8;
    private const byte EndOfImage = 0xD9;
    private const byte StartOfScan = 0xDA;

    /// <summary>
    /// Returns true when <paramref name="jpeg"/> ends before its EOI marker, and false when the
    /// marker is there or the marker structure is too damaged to tell.
    /// </summary>
    public static bool IsMissing(ReadOnlySpan<byte> jpeg)
    {
        if (jpeg.Length < 2 || jpeg[0] != Marker || jpeg[1] != StartOfImage)
        {
            return false;
        }

        int offset = 2;
        while (true)
        {
            if (offset >= jpeg.Length)
            {
                return true;
            }

            if (jpeg[offset] != Marker)
            {
                return false;
            }

            // A marker may be preceded by any number of 0xFF fill bytes.
            while (offset < jpeg.Length && jpeg[offset] == Marker)
            {
                offset++;
            }

            if (offset >= jpeg.Length)
            {
                return true;
            }

            byte code = jpeg[offset++];
            if (code == EndOfImage)
            {
                return false;
            }

            if (code == 0x01 || code is >= 0xD0 and <= 0xD7)
            {
                // TEM and the restart markers have no length field.
                continue;
            }

            if (offset + 2 > jpeg.Length)
            {
                return true;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[offset..]);
            if (length < 2)
            {
                return false;
            }

            offset += length;
            if (code == StartOfScan && offset <= jpeg.Length)
            {
                offset = FindMarkerAfterScan(jpeg, offset);
            }
        }
    }

    // In entropy-coded data 0xFF is followed by a stuffed 0x00 or a restart marker; any other
    // byte after 0xFF starts the next marker segment.
    private static int FindMarkerAfterScan(ReadOnlySpan<byte> jpeg, int offset)
    {
        while (true)
        {
            int found = jpeg[offset..].IndexOf(Marker);
            if (found < 0 || offset + found + 1 >= jpeg.Length)
            {
                return jpeg.Length;
            }

            offset += found;
            byte next = jpeg[offset + 1];
            if (next != 0x00 && next != Marker && next is not (>= 0xD0 and <= 0xD7))
            {
                return offset;
            }

            offset += next == Marker ? 1 : 2;
        }
    }
}
