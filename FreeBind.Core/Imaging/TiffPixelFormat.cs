using FreeBind.Media;

namespace FreeBind.Imaging;

/// <summary>
/// Sample layout of a TIFF page, and the conversion of its decoded samples to RGBA8888 as Pillow
/// 9.4 unpacks them and then applies <c>convert("RGB")</c>.
/// </summary>
/// <remarks>
/// Levels follow Pillow's unpackers: 1-, 2- and 4-bit grey scale to 0-255 (× 255, 85, 17), a
/// palette uses the high byte of each 16-bit colour map entry, and 16-bit samples keep their
/// high byte. WhiteIsZero grey is inverted. Associated (premultiplied) alpha is divided out as
/// <c>min(255, c * 255 / a)</c> with integer division and colour 0 where alpha is 0, and CMYK
/// becomes RGB as <c>(255 - k) - (c * (255 - k)) / 255</c> with Pillow's rounded division by 255.
/// Other alpha and extra samples are kept in the alpha channel and never change the colour.
/// </remarks>
// Pillow 9.4 opens a 16-bit greyscale TIFF without alpha as mode I;16, and convert("RGB") clamps
// each sample to 255, as for 16-bit greyscale PNG, leaving WhiteIsZero samples as stored. The
// grey16 recipe setting chooses that (clamp) or the high byte with WhiteIsZero inverted (highByte).
internal sealed class TiffPixelFormat
{
    private const ushort PhotometricMinIsWhite = 0;
    private const ushort PhotometricMinIsBlack = 1;
    private const ushort PhotometricRgb = 2;
    private const ushort PhotometricPalette = 3;
    private const ushort PhotometricSeparated = 5;
    private const ushort PhotometricYCbCr = 6;
    private const ushort CompressionJpeg = 7;
    private const ushort PlanarSeparate = 2;
    private const ushort SampleFormatUnsigned = 1;
    private const ushort InkSetCmyk = 1;
    private const ushort ExtraSampleAssociatedAlpha = 1;
    private const ushort ExtraSampleUnassociatedAlpha = 2;

    private readonly ColourKind kind;
    private readonly byte[]? palette;
    private readonly int alphaIndex;
    private readonly bool associatedAlpha;

    // True when 16-bit grey samples are clamped to 255 rather than reduced to their high byte.
    private readonly bool clampGrey16;

    // Offset of the high byte within a 16-bit sample: libtiff returns samples in the host's order.
    private readonly int highByte = BitConverter.IsLittleEndian ? 1 : 0;

    private TiffPixelFormat(
        ColourKind kind, int bitsPerSample, int samplesPerPixel, bool planesSeparate, byte[]? palette, int alphaIndex, bool associatedAlpha,
        bool clampGrey16)
    {
        this.clampGrey16 = clampGrey16;
        this.kind = kind;
        BitsPerSample = bitsPerSample;
        SamplesPerPixel = samplesPerPixel;
        PlanesSeparate = planesSeparate;
        this.palette = palette;
        this.alphaIndex = alphaIndex;
        this.associatedAlpha = associatedAlpha;
    }

    private enum ColourKind
    {
        Grey,
        GreyInverted,
        Palette,
        Rgb,
        Cmyk,
    }

    /// <summary>Bits of one sample: 1, 2, 4, 8 or 16 for grey, up to 8 for palette, 8 or 16 for RGB and CMYK.</summary>
    public int BitsPerSample { get; }

    /// <summary>Samples of one pixel, extra samples included.</summary>
    public int SamplesPerPixel { get; }

    /// <summary>Whether each sample is stored in its own plane (PlanarConfiguration 2).</summary>
    public bool PlanesSeparate { get; }

    /// <summary>
    /// Reads the current page's sample layout. Where the page contains JPEG-compressed YCbCr, it sets
    /// libtiff's JPEG codec to output RGB, as Pillow does.
    /// </summary>
    /// <exception cref="MediaException">Stage decode: the layout is not one Pillow 9.4 converts to RGB.</exception>
    public static unsafe TiffPixelFormat Read(IntPtr tiff, bool clampGrey16)
    {
        if (LibTiff.GetField(tiff, LibTiff.TagPhotometric, out ushort photometric) == 0)
        {
            throw Unsupported("it has no PhotometricInterpretation tag");
        }

        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagBitsPerSample, out ushort bits);
        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagSamplesPerPixel, out ushort samples);
        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagPlanarConfig, out ushort planar);
        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagSampleFormat, out ushort sampleFormat);
        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagCompression, out ushort compression);
        LibTiff.GetFieldDefaulted(tiff, LibTiff.TagExtraSamples, out ushort extraCount, out ushort* extraTypes);
        bool separate = planar == PlanarSeparate;
        string layout = $"PhotometricInterpretation {photometric}, {samples} samples of {bits} bits, " +
            $"SampleFormat {sampleFormat}, compression {compression}";

        if (sampleFormat != SampleFormatUnsigned)
        {
            throw Unsupported($"only unsigned integer samples are supported ({layout})");
        }

        if (photometric == PhotometricYCbCr)
        {
            // Pillow decodes only JPEG-compressed YCbCr with interleaved samples this way.
            if (compression != CompressionJpeg || separate)
            {
                throw Unsupported($"YCbCr is supported only with JPEG compression and interleaved samples ({layout})");
            }

            LibTiff.SetField(tiff, LibTiff.TagJpegColorMode, LibTiff.JpegColorModeRgb);
            photometric = PhotometricRgb;
        }

        (ColourKind kind, int colourSamples) = photometric switch
        {
            PhotometricMinIsBlack => (ColourKind.Grey, 1),
            PhotometricMinIsWhite => (ColourKind.GreyInverted, 1),
            PhotometricPalette => (ColourKind.Palette, 1),
            PhotometricRgb => (ColourKind.Rgb, 3),
            PhotometricSeparated => (ColourKind.Cmyk, 4),
            _ => throw Unsupported($"this PhotometricInterpretation is not supported ({layout})"),
        };

        if (kind == ColourKind.Cmyk)
        {
            LibTiff.GetFieldDefaulted(tiff, LibTiff.TagInkSet, out ushort inkSet);
            if (inkSet != InkSetCmyk)
            {
                throw Unsupported($"separated images are supported only with CMYK inks, not InkSet {inkSet} ({layout})");
            }
        }

        bool greyOrPalette = kind is ColourKind.Grey or ColourKind.GreyInverted or ColourKind.Palette;
        bool bitsSupported = bits is 8 || (bits is 16 && kind != ColourKind.Palette)
            || (bits is 1 or 2 or 4 && greyOrPalette && samples == 1);
        if (!bitsSupported || samples < colourSamples)
        {
            throw Unsupported($"this sample layout is not supported ({layout})");
        }

        // The first extra sample is alpha when the ExtraSamples tag marks it as alpha. Pillow also
        // treats a fourth RGB sample without the tag as alpha, which changes nothing in convert("RGB").
        int alphaIndex = -1;
        bool associated = false;
        if (samples > colourSamples && extraCount > 0
            && extraTypes[0] is ExtraSampleAssociatedAlpha or ExtraSampleUnassociatedAlpha)
        {
            alphaIndex = colourSamples;
            associated = extraTypes[0] == ExtraSampleAssociatedAlpha;
        }

        byte[]? palette = kind == ColourKind.Palette ? ReadPalette(tiff, bits) : null;
        bool clamp = clampGrey16 && bits == 16 && (kind is ColourKind.Grey or ColourKind.GreyInverted) && alphaIndex < 0;
        return new TiffPixelFormat(kind, bits, samples, separate && samples > 1, palette, alphaIndex, associated, clamp);
    }

    /// <summary>
    /// Converts <paramref name="pixelCount"/> pixels of interleaved samples, starting at a byte
    /// boundary, to RGBA8888 in <paramref name="rgba"/>.
    /// </summary>
    public void ConvertRow(ReadOnlySpan<byte> samples, int pixelCount, Span<byte> rgba)
    {
        if (BitsPerSample < 8)
        {
            ConvertPackedRow(samples, pixelCount, rgba);
            return;
        }

        int step = SamplesPerPixel;
        for (int x = 0; x < pixelCount; x++)
        {
            int first = x * step;
            Span<byte> pixel = rgba.Slice(x * 4, 4);
            byte alpha = alphaIndex >= 0 ? Level(samples, first + alphaIndex) : (byte)255;
            switch (kind)
            {
                case ColourKind.Grey:
                case ColourKind.GreyInverted:
                    byte grey = clampGrey16 ? Clamped(samples, first) : Level(samples, first);
                    if (kind == ColourKind.GreyInverted && !clampGrey16)
                    {
                        grey = (byte)(255 - grey);
                    }

                    pixel[0] = grey;
                    pixel[1] = grey;
                    pixel[2] = grey;
                    break;

                case ColourKind.Palette:
                    palette.AsSpan(samples[first] * 3, 3).CopyTo(pixel);
                    break;

                case ColourKind.Rgb:
                    pixel[0] = Level(samples, first);
                    pixel[1] = Level(samples, first + 1);
                    pixel[2] = Level(samples, first + 2);
                    break;

                case ColourKind.Cmyk:
                    int notBlack = 255 - Level(samples, first + 3);
                    pixel[0] = CmykToRgb(Level(samples, first), notBlack);
                    pixel[1] = CmykToRgb(Level(samples, first + 1), notBlack);
                    pixel[2] = CmykToRgb(Level(samples, first + 2), notBlack);
                    break;
            }

            if (associatedAlpha)
            {
                Unpremultiply(pixel, alpha);
            }

            pixel[3] = alpha;
        }
    }

    private static MediaException Unsupported(string reason) => new(
        "decode",
        $"TIFF image cannot be converted to RGB: {reason}; convert the file to PNG or 8-bit RGB TIFF");

    private static unsafe byte[] ReadPalette(IntPtr tiff, int bits)
    {
        if (LibTiff.GetField(tiff, LibTiff.TagColorMap, out ushort* red, out ushort* green, out ushort* blue) == 0)
        {
            throw Unsupported("the palette image has no ColorMap tag");
        }

        // libtiff checked that the map has 2^bits entries per channel.
        int entries = 1 << bits;
        var palette = new byte[256 * 3];
        for (int i = 0; i < entries; i++)
        {
            palette[i * 3] = (byte)(red[i] >> 8);
            palette[(i * 3) + 1] = (byte)(green[i] >> 8);
            palette[(i * 3) + 2] = (byte)(blue[i] >> 8);
        }

        return palette;
    }

    // Pillow's MULDIV255: (a * b) / 255 rounded, computed with shifts.
    private static byte CmykToRgb(int ink, int notBlack)
    {
        int product = (ink * notBlack) + 128;
        int scaled = ((product >> 8) + product) >> 8;
        return (byte)Math.Clamp(notBlack - scaled, 0, 255);
    }

    private static void Unpremultiply(Span<byte> pixel, byte alpha)
    {
        if (alpha == 255)
        {
            return;
        }

        for (int c = 0; c < 3; c++)
        {
            pixel[c] = alpha == 0 ? (byte)0 : (byte)Math.Min(255, pixel[c] * 255 / alpha);
        }
    }

    /// <summary>Whether a 16-bit grey sample above 255 was clamped to white since this format was read.</summary>
    public bool ClampedAny { get; private set; }

    private byte Clamped(ReadOnlySpan<byte> samples, int index)
    {
        int value = samples[(index * 2) + highByte] << 8 | samples[(index * 2) + (1 - highByte)];
        if (value <= 255)
        {
            return (byte)value;
        }

        ClampedAny = true;
        return 255;
    }

    private byte Level(ReadOnlySpan<byte> samples, int index) =>
        BitsPerSample == 8 ? samples[index] : samples[(index * 2) + highByte];

    private void ConvertPackedRow(ReadOnlySpan<byte> samples, int pixelCount, Span<byte> rgba)
    {
        int bits = BitsPerSample;
        int mask = (1 << bits) - 1;
        int scale = 255 / mask;
        for (int x = 0; x < pixelCount; x++)
        {
            int bitOffset = x * bits;
            int value = (samples[bitOffset >> 3] >> (8 - bits - (bitOffset & 7))) & mask;
            Span<byte> pixel = rgba.Slice(x * 4, 4);
            if (kind == ColourKind.Palette)
            {
                palette.AsSpan(value * 3, 3).CopyTo(pixel);
            }
            else
            {
                int grey = value * scale;
                if (kind == ColourKind.GreyInverted)
                {
                    grey = 255 - grey;
                }

                pixel[0] = (byte)grey;
                pixel[1] = (byte)grey;
                pixel[2] = (byte)grey;
            }

            pixel[3] = 255;
        }
    }
}
