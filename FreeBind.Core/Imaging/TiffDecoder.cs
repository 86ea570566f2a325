using System.Buffers;

using FreeBind.Media;

using SkiaSharp;

namespace FreeBind.Imaging;

/// <summary>
/// Decodes the first page of a TIFF file with the system libtiff (<see cref="LibTiff"/>) into
/// RGBA8888 unpremultiplied pixels that equal Pillow 9.4's <c>convert("RGB")</c>.
/// </summary>
/// <remarks>
/// libtiff decompresses strips and tiles (any codec it was built with, predictors, fill order,
/// byte order), and <see cref="TiffPixelFormat"/> turns the samples into RGBA the way Pillow's
/// unpackers and converters do. The Orientation tag is applied once, so the image is upright
/// (see <see cref="Origin"/>).
/// </remarks>
internal static unsafe class TiffDecoder
{
    /// <summary>Returns whether <paramref name="bytes"/> starts like a TIFF or BigTIFF file.</summary>
    public static bool IsTiff(ReadOnlySpan<byte> bytes) =>
        bytes.StartsWith("II*\0"u8) || bytes.StartsWith("MM\0*"u8)
        || bytes.StartsWith("II+\0"u8) || bytes.StartsWith("MM\0+"u8);

    /// <summary>Decodes the first page of <paramref name="data"/>, rejecting images above <paramref name="maxPixels"/>.</summary>
    /// <param name="data">Encoded file bytes.</param>
    /// <param name="maxPixels">Largest accepted width × height.</param>
    /// <param name="clampGrey16">Clamp 16-bit grey samples to 255, as Pillow does, rather than keep their high byte.</param>
    /// <exception cref="MediaException">
    /// Stage decode: libtiff is missing, rejects the file or every strip and tile, the sample layout
    /// is not supported, or the image is too large.
    /// </exception>
    public static DecodedImage Decode(ReadOnlySpan<byte> data, long maxPixels, bool clampGrey16)
    {
        if (!LibTiff.Available)
        {
            throw new MediaException(
                "decode",
                $"TIFF images are decoded with the system libtiff ({LibTiff.Library}), which did not load; " +
                "install the Debian package libtiff6, or convert the file to PNG");
        }

        fixed (byte* bytes = data)
        {
            var source = new LibTiff.MemorySource { Data = bytes, Length = data.Length };

            // Caps each buffer libtiff allocates at 16 bytes per accepted pixel, room for a strip of
            // 8 samples of 16 bits, so a corrupt directory cannot make it allocate more.
            long maxAllocation = (long)Math.Min(Math.Max(maxPixels, 1 << 20) * 16.0, long.MaxValue / 2);
            IntPtr tiff = LibTiff.Open(&source, maxAllocation);
            if (tiff == IntPtr.Zero)
            {
                string start = Convert.ToHexString(data[..Math.Min(data.Length, 8)]);
                throw new MediaException(
                    "decode",
                    $"TIFF file could not be opened ({data.Length} bytes, starting 0x{start}): " +
                    $"libtiff reported \"{source.ReadMessage() ?? "no message"}\"; " +
                    "check that the file was written or downloaded completely");
            }

            try
            {
                return DecodeFirstPage(tiff, &source, maxPixels, clampGrey16);
            }
            finally
            {
                LibTiff.Close(tiff);
            }
        }
    }

    /// <summary>Maps the TIFF Orientation tag (the same 1 to 8 codes as EXIF) to the origin that
    /// turns the stored pixels upright. Values outside 1 to 8 leave the pixels as stored.</summary>
    /// <remarks>Pillow 9.4 turns a TIFF upright when it loads it, so this equals
    /// <c>Image.open(f).convert("RGB")</c>. Its <c>ImageOps.exif_transpose</c> then applies the
    /// tag a second time, because the tag is still in <c>getexif()</c>, which is not followed here.</remarks>
    private static SKEncodedOrigin Origin(ushort orientation) =>
        orientation is >= 1 and <= 8 ? (SKEncodedOrigin)orientation : SKEncodedOrigin.TopLeft;

    private static DecodedImage DecodeFirstPage(IntPtr tiff, LibTiff.MemorySource* source, long maxPixels, bool clampGrey16)
    {
        if (LibTiff.GetField(tiff, LibTiff.TagImageWidth, out uint width) == 0
            || LibTiff.GetField(tiff, LibTiff.TagImageLength, out uint height) == 0
            || width == 0 || height == 0)
        {
            throw new MediaException("decode", "TIFF image has no width or height; re-encode the file as PNG");
        }

        ImageDecoder.CheckSize(width, height, maxPixels);

        TiffPixelFormat format = TiffPixelFormat.Read(tiff, clampGrey16);
        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagOrientation, out ushort orientation);
        SKEncodedOrigin origin = Origin(orientation);

        int byteCount = (int)((long)width * height * 4);
        byte[] pixels = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            // Rows that no strip or tile supplies stay transparent black.
            pixels.AsSpan(0, byteCount).Clear();
            var reader = new TiffBlockReader(tiff, format, (int)width, (int)height);
            (int read, int failed) = reader.ReadAll(pixels);
            string? warning = null;
            if (failed > 0)
            {
                string message = source->ReadMessage() ?? "no message";
                if (read == 0)
                {
                    throw new MediaException(
                        "decode",
                        $"TIFF image {width}×{height} has no readable strip or tile: libtiff reported " +
                        $"\"{message}\"; check that the file was written or downloaded completely");
                }

                warning = $"TIFF image partly unreadable ({failed} of {read + failed} strips or tiles failed: " +
                    $"{message}): decoded the readable part";
            }

            if (warning is null && format.ClampedAny)
            {
                warning = ImageDecoder.Grey16ClampedWarning;
            }

            return new DecodedImage(pixels, (int)width, (int)height, origin, (int)width, (int)height, warning);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pixels);
            throw;
        }
    }
}
