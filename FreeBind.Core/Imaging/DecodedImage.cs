using System.Buffers;

using SkiaSharp;

namespace FreeBind.Imaging;

/// <summary>
/// Decoded RGBA8888 unpremultiplied pixels in a pooled buffer, as stored in the file (before
/// EXIF orientation). Dispose returns the buffer to <see cref="ArrayPool{T}.Shared"/>; views
/// made by <see cref="View"/> are invalid after that.
/// </summary>
internal sealed class DecodedImage : IDisposable
{
    private byte[]? pixels;

    public DecodedImage(
        byte[] pixels,
        int width,
        int height,
        SKEncodedOrigin origin,
        int fileWidth,
        int fileHeight,
        string? warning)
    {
        this.pixels = pixels;
        Width = width;
        Height = height;
        Origin = origin;
        FileWidth = fileWidth;
        FileHeight = fileHeight;
        Warning = warning;
    }

    /// <summary>Decoded width, smaller than <see cref="FileWidth"/> when JPEG DCT scaling was used.</summary>
    public int Width { get; }

    /// <summary>Decoded height, smaller than <see cref="FileHeight"/> when JPEG DCT scaling was used.</summary>
    public int Height { get; }

    /// <summary>Width stored in the file header.</summary>
    public int FileWidth { get; }

    /// <summary>Height stored in the file header.</summary>
    public int FileHeight { get; }

    /// <summary>EXIF orientation of the file; <see cref="SKEncodedOrigin.TopLeft"/> when it has none.</summary>
    public SKEncodedOrigin Origin { get; }

    /// <summary>Non-fatal problem met while decoding, or null.</summary>
    public string? Warning { get; }

    /// <summary>Returns the pixels in display orientation.</summary>
    public OrientedImage View() =>
        OrientedImage.Create(pixels ?? throw new ObjectDisposedException(nameof(DecodedImage)), Width, Height, Origin);

    public void Dispose()
    {
        byte[]? buffer = Interlocked.Exchange(ref pixels, null);
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
