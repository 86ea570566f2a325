using SkiaSharp;

namespace FreeBind.Imaging;

/// <summary>
/// A read-only view of decoded RGBA pixels in display orientation: pixel (x, y) of the view is at
/// byte <c>Offset + x * StepX + y * StepY</c> of <see cref="Pixels"/>. The EXIF orientation is
/// applied by choosing the offset and the signed steps, so no pixels are copied.
/// </summary>
internal readonly struct OrientedImage
{
    private OrientedImage(byte[] pixels, int width, int height, int offset, int stepX, int stepY)
    {
        Pixels = pixels;
        Width = width;
        Height = height;
        Offset = offset;
        StepX = stepX;
        StepY = stepY;
    }

    /// <summary>RGBA8888 pixels as stored in the file, rows packed without padding.</summary>
    public byte[] Pixels { get; }

    /// <summary>Width after orientation.</summary>
    public int Width { get; }

    /// <summary>Height after orientation.</summary>
    public int Height { get; }

    /// <summary>Byte offset of the displayed top-left pixel.</summary>
    public int Offset { get; }

    /// <summary>Signed byte step from one displayed pixel to the next one on its right.</summary>
    public int StepX { get; }

    /// <summary>Signed byte step from one displayed pixel to the one below it.</summary>
    public int StepY { get; }

    /// <summary>Whether an EXIF origin swaps width and height (origins 5 to 8).</summary>
    public static bool SwapsAxes(SKEncodedOrigin origin) => origin is SKEncodedOrigin.LeftTop
        or SKEncodedOrigin.RightTop or SKEncodedOrigin.RightBottom or SKEncodedOrigin.LeftBottom;

    /// <summary>
    /// Creates the display view of a stored <paramref name="width"/> × <paramref name="height"/> image.
    /// </summary>
    /// <remarks>
    /// Each case maps display pixel (x, y) to a stored pixel S(sx, sy) for one value of the EXIF
    /// orientation tag; golden tests check all 8 against PIL's <c>ImageOps.exif_transpose</c>.
    /// </remarks>
    public static OrientedImage Create(byte[] pixels, int width, int height, SKEncodedOrigin origin)
    {
        const int Px = 4;
        int row = width * Px;
        int lastColumn = (width - 1) * Px;
        int lastRow = (height - 1) * row;

        return origin switch
        {
            // 2: mirrored left-right, D(x, y) = S(W-1-x, y).
            SKEncodedOrigin.TopRight => new(pixels, width, height, lastColumn, -Px, row),

            // 3: rotated 180°, D(x, y) = S(W-1-x, H-1-y).
            SKEncodedOrigin.BottomRight => new(pixels, width, height, lastRow + lastColumn, -Px, -row),

            // 4: mirrored top-bottom, D(x, y) = S(x, H-1-y).
            SKEncodedOrigin.BottomLeft => new(pixels, width, height, lastRow, Px, -row),

            // 5: transposed, D(x, y) = S(y, x).
            SKEncodedOrigin.LeftTop => new(pixels, height, width, 0, row, Px),

            // 6: needs a 90° clockwise turn, D(x, y) = S(y, H-1-x).
            SKEncodedOrigin.RightTop => new(pixels, height, width, lastRow, -row, Px),

            // 7: transversed, D(x, y) = S(W-1-y, H-1-x).
            SKEncodedOrigin.RightBottom => new(pixels, height, width, lastRow + lastColumn, -row, -Px),

            // 8: needs a 90° counter-clockwise turn, D(x, y) = S(W-1-y, x).
            SKEncodedOrigin.LeftBottom => new(pixels, height, width, lastColumn, row, -Px),

            // 1 and unknown values: as stored.
            _ => new(pixels, width, height, 0, Px, row),
        };
    }
}
