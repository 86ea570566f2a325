using System.Buffers;
using System.Buffers.Binary;

using FreeBind.Media;

using SkiaSharp;

namespace FreeBind.Imaging;

/// <summary>Decodes image files with SkiaSharp into RGBA8888 unpremultiplied pixels.</summary>
/// <remarks>
/// Pixels are decoded without colour management (no destination colour space), as PIL's
/// <c>Image.open(...).convert("RGB")</c> ignores embedded ICC profiles. Alpha is kept
/// unpremultiplied so that the RGB values under transparent pixels stay as stored, which is
/// what <c>convert("RGB")</c> returns: it drops alpha without compositing over a background.
/// Skia reduces 16-bit samples to 8 bits by keeping the high byte in every PNG colour type, as
/// Pillow 9.4 does for 16-bit RGB, RGBA and grey-with-alpha PNG files.
/// Plain JPEG files go through the system's libjpeg-turbo (<see cref="TurboJpeg"/>) when it is
/// installed, which is faster and gives the same pixels. TIFF files go through the system's
/// libtiff (<see cref="TiffDecoder"/>), because SkiaSharp has no TIFF decoder.
/// Pillow 9.4 opens a 16-bit greyscale PNG without alpha as mode I, and <c>convert("RGB")</c>
/// clamps each sample to 255, so samples of 256 and more turn white. With <c>clampGrey16</c> (the
/// recipe's default) such a PNG is decoded by <see cref="PngGrey16Decoder"/>, which clamps the
/// same way; without it, Skia keeps the high byte as for the other colour types.
/// </remarks>
internal static unsafe class ImageDecoder
{
    private const string SupportedFormats = "JPEG, PNG, GIF, BMP, WebP, TIFF, ICO and WBMP";

    // Largest PNG side that SkiaSharp 4.156 decodes, measured, and libpng's default
    // PNG_USER_WIDTH_MAX and PNG_USER_HEIGHT_MAX. Skia reports a larger side as an incomplete
    // header. NOTE: Pillow 9.4 has no such limit and decodes these files.
    private const uint MaxPngSide = 1_000_000;

    /// <summary>Warning of an image cut short, of which the rows present were decoded.</summary>
    internal const string TruncatedWarning = "image truncated: decoded the readable part";

    /// <summary>Warning of an image with corrupt data, of which the rows before it were decoded.</summary>
    internal const string CorruptWarning = "image data corrupt: decoded the readable part";

    /// <summary>Warning of a 16-bit greyscale image whose samples above 255 were clamped to white.</summary>
    internal const string Grey16ClampedWarning =
        "16-bit greyscale samples above 255 became white, as Pillow's convert(\"RGB\") makes them: " +
        "set grey16 to highByte in the image recipe to embed the picture";

    /// <summary>Decodes <paramref name="data"/>, rejecting images above <paramref name="maxPixels"/>.</summary>
    /// <param name="data">Encoded file bytes.</param>
    /// <param name="maxPixels">Largest accepted width × height from the file header.</param>
    /// <param name="dctScalingMinimumSide">
    /// When positive, a JPEG is decoded at a reduced DCT scale if the reduced short side stays at
    /// least this many pixels; zero decodes every image at full size.
    /// </param>
    /// <param name="clampGrey16">
    /// Clamp the samples of a 16-bit greyscale PNG or TIFF without alpha to 255, as Pillow does,
    /// rather than keep their high byte.
    /// </param>
    /// <exception cref="MediaException">Stage decode: the bytes are not a readable image, or too large.</exception>
    public static DecodedImage Decode(ReadOnlyMemory<byte> data, long maxPixels, int dctScalingMinimumSide, bool clampGrey16 = true)
    {
        if (data.IsEmpty)
        {
            throw new MediaException(
                "decode",
                "image is empty (0 bytes); check that the file was written or downloaded completely");
        }

        if (TiffDecoder.IsTiff(data.Span))
        {
            return TiffDecoder.Decode(data.Span, maxPixels, clampGrey16);
        }

        using MemoryHandle pin = data.Pin();
        using SKData skData = SKData.Create((IntPtr)pin.Pointer, data.Length);
        using SKCodec codec = CreateCodec(skData, data.Span);

        SKImageInfo header = codec.Info;
        CheckSize(header.Width, header.Height, maxPixels);

        SKEncodedOrigin origin = ReadOrigin(codec, data.Span);
        if (clampGrey16 && codec.EncodedFormat == SKEncodedImageFormat.Png && PngGrey16Decoder.IsGrey16(data.Span))
        {
            return PngGrey16Decoder.Decode(data.Span, origin);
        }

        SKSizeI size = ChooseDecodeSize(codec, dctScalingMinimumSide);
        var info = new SKImageInfo(size.Width, size.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        int byteCount = size.Width * size.Height * 4;
        byte[] pixels = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            if (codec.EncodedFormat == SKEncodedImageFormat.Jpeg && size == header.Size
                && TurboJpeg.TryDecode(data.Span, size.Width, size.Height, pixels.AsSpan(0, byteCount)))
            {
                return new DecodedImage(
                    pixels, size.Width, size.Height, origin, header.Width, header.Height, warning: null);
            }

            SKCodecResult result;
            fixed (byte* destination = pixels)
            {
                var options = new SKCodecOptions(SKZeroInitialized.No);
                result = codec.GetPixels(info, (IntPtr)destination, info.RowBytes, options);
            }

            Span<byte> decoded = pixels.AsSpan(0, byteCount);
            string? warning = CheckResult(result, codec, decoded);
            MatchPillowLevels(codec.EncodedFormat, data.Span, decoded);
            if (result == SKCodecResult.Success && codec.EncodedFormat == SKEncodedImageFormat.Jpeg
                && JpegEndMarker.IsMissing(data.Span))
            {
                warning = TruncatedWarning;
            }

            return new DecodedImage(
                pixels, size.Width, size.Height, origin, header.Width, header.Height, warning);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(pixels);
            throw;
        }
    }

    // Skia decodes these pixels differently from Pillow 9.4, so they are corrected after decoding.
    private static void MatchPillowLevels(SKEncodedImageFormat format, ReadOnlySpan<byte> bytes, Span<byte> rgba)
    {
        if (format == SKEncodedImageFormat.Gif && GifHiddenColour.TryRead(bytes, out byte red, out byte green, out byte blue))
        {
            GifHiddenColour.Fill(rgba, red, green, blue);
        }
        else if (format == SKEncodedImageFormat.Bmp)
        {
            Bmp16BitLevels.Apply(bytes, rgba);
        }
    }

    private static SKCodec CreateCodec(SKData skData, ReadOnlySpan<byte> bytes)
    {
        // The codec takes ownership of the stream; the stream only references skData's memory.
        var stream = new SKMemoryStream(skData);
        SKCodec? codec = SKCodec.Create(stream, out SKCodecResult result);
        if (codec is not null)
        {
            return codec;
        }

        stream.Dispose();
        if (TryReadPngSize(bytes, out uint width, out uint height)
            && (width > MaxPngSide || height > MaxPngSide))
        {
            throw new MediaException(
                "decode",
                $"PNG image is {width}×{height} pixels, and the PNG decoder (libpng in SkiaSharp) " +
                $"accepts at most {MaxPngSide} pixels per side; split or resize the image");
        }

        string start = Convert.ToHexString(bytes[..Math.Min(bytes.Length, 8)]);
        if (result == SKCodecResult.IncompleteInput)
        {
            throw new MediaException(
                "decode",
                $"image header is truncated ({bytes.Length} bytes, starting 0x{start}); " +
                "check that the file was written or downloaded completely");
        }

        string? container = ImageSignature.NameUnsupported(bytes);
        if (container is not null)
        {
            throw new MediaException(
                "decode",
                $"{container} images are not supported ({bytes.Length} bytes, starting 0x{start}); " +
                $"supported formats are {SupportedFormats}: convert the file to PNG or JPEG");
        }

        // Skia reports Unimplemented when no codec recognises the first bytes.
        string cause = result == SKCodecResult.Unimplemented ? "no image format recognised" : $"decoder result {result}";
        throw new MediaException(
            "decode",
            $"not a readable image ({bytes.Length} bytes, starting 0x{start}, {cause}); " +
            $"supported formats are {SupportedFormats}: convert the file to PNG or JPEG");
    }

    /// <summary>
    /// Rejects an image above <paramref name="maxPixels"/>, or too large for one RGBA buffer, before
    /// any pixel is decoded.
    /// </summary>
    /// <exception cref="MediaException">Stage decode: the image is too large.</exception>
    internal static void CheckSize(long width, long height, long maxPixels)
    {
        long pixelCount = width * height;
        if (pixelCount > maxPixels)
        {
            throw new MediaException(
                "decode",
                $"image is {width}×{height} pixels, above the limit of {maxPixels}; " +
                "raise maxPixels in the image recipe or resize the image");
        }

        if (pixelCount * 4 > Array.MaxLength)
        {
            throw new MediaException(
                "decode",
                $"image is {width}×{height} pixels, too large to decode into one buffer " +
                $"(max {Array.MaxLength / 4} pixels); resize the image");
        }
    }

    private static SKEncodedOrigin ReadOrigin(SKCodec codec, ReadOnlySpan<byte> bytes)
    {
        // Skia reads the EXIF orientation of JPEG and WebP files but not the eXIf chunk of a PNG.
        return codec.EncodedFormat == SKEncodedImageFormat.Png && codec.EncodedOrigin == SKEncodedOrigin.TopLeft
            ? PngExifOrientation.Read(bytes)
            : codec.EncodedOrigin;
    }

    private static bool TryReadPngSize(ReadOnlySpan<byte> bytes, out uint width, out uint height)
    {
        // The signature is followed by the IHDR chunk: length, type, then width and height.
        ReadOnlySpan<byte> signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        if (bytes.Length < 24 || !bytes.StartsWith(signature) || !bytes.Slice(12, 4).SequenceEqual("IHDR"u8))
        {
            width = 0;
            height = 0;
            return false;
        }

        width = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
        height = BinaryPrimitives.ReadUInt32BigEndian(bytes[20..]);
        return true;
    }

    private static SKSizeI ChooseDecodeSize(SKCodec codec, int minimumSide)
    {
        SKSizeI full = codec.Info.Size;
        int shortSide = Math.Min(full.Width, full.Height);
        if (minimumSide <= 0 || codec.EncodedFormat != SKEncodedImageFormat.Jpeg || shortSide < 2 * minimumSide)
        {
            return full;
        }

        SKSizeI scaled = codec.GetScaledDimensions((float)minimumSide / shortSide);
        bool smaller = scaled.Width < full.Width || scaled.Height < full.Height;
        return smaller && Math.Min(scaled.Width, scaled.Height) >= minimumSide ? scaled : full;
    }

    private static string? CheckResult(SKCodecResult result, SKCodec codec, ReadOnlySpan<byte> pixels)
    {
        switch (result)
        {
            case SKCodecResult.Success:
                return null;

            case SKCodecResult.IncompleteInput:
            case SKCodecResult.ErrorInInput:
                // Skia fills the rows it could not decode with zero bytes, and a decoded pixel of
                // an opaque format has alpha 255, so an all-zero buffer means no row was decoded.
                // NOTE: in a format with alpha, decoded rows that are all transparent black look
                // the same and are rejected too, although they carry no image either.
                if (pixels.IndexOfAnyExcept((byte)0) < 0)
                {
                    throw new MediaException(
                        "decode",
                        $"{codec.EncodedFormat} image data is truncated or corrupt before the first pixel row " +
                        $"(decoder result {result}); " +
                        "check that the file was written or downloaded completely");
                }

                return result == SKCodecResult.IncompleteInput
                    ? TruncatedWarning
                    : CorruptWarning;

            default:
                throw new MediaException(
                    "decode",
                    $"{codec.EncodedFormat} image {codec.Info.Width}×{codec.Info.Height} could not be decoded " +
                    $"(decoder result {result}); " +
                    "re-encode the file as PNG or JPEG");
        }
    }
}
