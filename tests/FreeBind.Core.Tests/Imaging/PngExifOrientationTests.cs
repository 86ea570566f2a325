using System.Buffers.Binary;

using FreeBind.Imaging;

using SkiaSharp;

namespace FreeBind.Tests.Imaging;

/// <summary>
/// Chunk layouts around the PNG eXIf reader. Each expected result is what Pillow 9.4's
/// <c>exif_transpose</c> did on the same layout, except for the <c>Exif\0\0</c> prefix, where
/// Pillow raises an error and this reader ignores the chunk.
/// </summary>
public sealed class PngExifOrientationTests
{
    [Fact]
    public void BigEndianShort_ReadsOrientation()
    {
        byte[] png = Png(("eXIf", Tiff(bigEndian: true, type: 3, count: 1, value: 6)));

        Assert.Equal(SKEncodedOrigin.RightTop, PngExifOrientation.Read(png));
    }

    [Fact]
    public void LittleEndianLong_ReadsOrientation()
    {
        byte[] png = Png(("eXIf", Tiff(bigEndian: false, type: 4, count: 1, value: 8)));

        Assert.Equal(SKEncodedOrigin.LeftBottom, PngExifOrientation.Read(png));
    }

    [Fact]
    public void LastExifChunk_Wins()
    {
        byte[] png = Png(
            ("eXIf", Tiff(bigEndian: true, type: 3, count: 1, value: 6)),
            ("IDAT", new byte[16]),
            ("eXIf", Tiff(bigEndian: true, type: 3, count: 1, value: 3)));

        Assert.Equal(SKEncodedOrigin.BottomRight, PngExifOrientation.Read(png));
    }

    [Fact]
    public void ChunkAfterIend_Ignored()
    {
        byte[] png = Png(("IEND", []), ("eXIf", Tiff(bigEndian: true, type: 3, count: 1, value: 6)));

        Assert.Equal(SKEncodedOrigin.TopLeft, PngExifOrientation.Read(png));
    }

    [Fact]
    public void ExifPrefixedChunk_HasNoOrientation()
    {
        byte[] tiff = Tiff(bigEndian: true, type: 3, count: 1, value: 6);
        byte[] png = Png(("eXIf", [.. "Exif\0\0"u8, .. tiff]));

        Assert.Equal(SKEncodedOrigin.TopLeft, PngExifOrientation.Read(png));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    public void OutOfRangeValue_HasNoOrientation(int value)
    {
        byte[] png = Png(("eXIf", Tiff(bigEndian: true, type: 3, count: 1, value: (uint)value)));

        Assert.Equal(SKEncodedOrigin.TopLeft, PngExifOrientation.Read(png));
    }

    [Fact]
    public void TruncatedChunk_HasNoOrientation()
    {
        byte[] png = Png(("eXIf", Tiff(bigEndian: true, type: 3, count: 1, value: 6)));

        Assert.Equal(SKEncodedOrigin.TopLeft, PngExifOrientation.Read(png.AsSpan(0, png.Length - 20)));
    }

    // A PNG signature, a zeroed IHDR and the given chunks. The reader ignores CRCs, so they are zero.
    private static byte[] Png(params (string Type, byte[] Data)[] chunks)
    {
        var bytes = new List<byte>([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        foreach ((string type, byte[] data) in new[] { ("IHDR", new byte[13]) }.Concat(chunks))
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            bytes.AddRange(length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(type));
            bytes.AddRange(data);
            bytes.AddRange(new byte[4]);
        }

        return [.. bytes];
    }

    // A TIFF header and one IFD holding only the orientation tag.
    private static byte[] Tiff(bool bigEndian, ushort type, uint count, uint value)
    {
        var tiff = new byte[26];
        if (bigEndian)
        {
            "MM\0*"u8.CopyTo(tiff);
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x0112);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), type);
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(14), count);
            if (type == 3)
            {
                BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(18), (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(18), value);
            }
        }
        else
        {
            "II*\0"u8.CopyTo(tiff);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(10), 0x0112);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(12), type);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(14), count);
            if (type == 3)
            {
                BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(18), (ushort)value);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(18), value);
            }
        }

        return tiff;
    }
}
