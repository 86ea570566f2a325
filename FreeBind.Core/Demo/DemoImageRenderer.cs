using System.Runtime.InteropServices;

using SkiaSharp;

namespace FreeBind.Demo;

/// <summary>Renders a latent vector as a 224 × 224 PNG mosaic of 4 × 4 coloured tiles with per-item noise.</summary>
/// <remarks>
/// Tile colour = 128 + 45 × (image map · latent) per channel, clamped to 0-255. Per item: a
/// global brightness shift (σ 12), tile colour jitter (σ 10), a shift of up to 8 pixels, a
/// distractor disc of random colour and radius 14-30, and pixel noise of ±12. The side is 224 so
/// the CLIP recipe's resize is the identity and its 56-pixel average pools line up with the tiles.
/// </remarks>
internal static class DemoImageRenderer
{
    /// <summary>Image side in pixels.</summary>
    public const int Size = 224;

    private const int Tile = Size / DemoWorldModel.ImageGrid;

    public static byte[] Render(DemoWorldModel world, IReadOnlyList<double> latent, DemoRandom random)
    {
        var offsets = DemoWorldModel.Apply(world.ImageMap, latent);
        var brightness = 12 * random.NextGaussian();
        var colours = new double[offsets.Length];
        for (var i = 0; i < colours.Length; i++)
        {
            colours[i] = 128 + (45 * offsets[i]) + brightness + (10 * random.NextGaussian());
        }

        var shiftX = random.NextInt(17) - 8;
        var shiftY = random.NextInt(17) - 8;
        var discX = random.Uniform(0, Size);
        var discY = random.Uniform(0, Size);
        var discRadius = random.Uniform(14, 30);
        var discColour = new[] { random.Uniform(0, 256), random.Uniform(0, 256), random.Uniform(0, 256) };

        var pixels = new byte[Size * Size * 4];
        for (var y = 0; y < Size; y++)
        {
            var row = Math.Clamp(y - shiftY, 0, Size - 1) / Tile;
            for (var x = 0; x < Size; x++)
            {
                var column = Math.Clamp(x - shiftX, 0, Size - 1) / Tile;
                var tile = (row * DemoWorldModel.ImageGrid) + column;
                var inDisc = ((x - discX) * (x - discX)) + ((y - discY) * (y - discY)) < discRadius * discRadius;
                var offset = ((y * Size) + x) * 4;
                // One 64-bit draw gives the three channels' noise: two 8-bit uniforms each, so
                // the noise is triangular on about -12 to 12.
                var bits = random.NextUInt64();
                for (var channel = 0; channel < 3; channel++)
                {
                    var value = inDisc ? discColour[channel] : colours[(tile * 3) + channel];
                    var first = (int)((bits >> (16 * channel)) & 0xFF);
                    var second = (int)((bits >> ((16 * channel) + 8)) & 0xFF);
                    value += (first + second - 255) * (12.0 / 255);
                    pixels[offset + channel] = (byte)Math.Clamp(Math.Round(value), 0, 255);
                }

                pixels[offset + 3] = 255;
            }
        }

        using var bitmap = new SKBitmap(new SKImageInfo(Size, Size, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
