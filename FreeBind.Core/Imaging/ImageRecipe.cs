using FreeBind.Media;
using FreeBind.Spaces;

namespace FreeBind.Imaging;

/// <summary>Image preprocessing: decode, orient, resize, crop, scale and normalise.</summary>
/// <remarks>
/// The defaults are the CLIP/ImageBind vision transform: bicubic resize of the short side to
/// 224, centre crop to 224 × 224, scale to [0, 1], then CLIP mean and standard deviation.
/// </remarks>
public sealed class ImageRecipe : PreprocessRecipe
{
    /// <summary>Model input name.</summary>
    public string Input { get; set; } = "pixel_values";

    /// <summary>Output side length in pixels (square). Default 224.</summary>
    public int Size { get; set; } = 224;

    /// <summary>shortSide: scale the short side to <see cref="Size"/> then crop; exact: stretch to Size × Size.</summary>
    public string Resize { get; set; } = "shortSide";

    /// <summary>bicubic (default), bilinear or nearest.</summary>
    public string Interpolation { get; set; } = "bicubic";

    /// <summary>Multiplier applied to 0-255 pixel values before mean and std. Default 1/255.</summary>
    public float Scale { get; set; } = 1f / 255f;

    /// <summary>Per-channel mean, in <see cref="ChannelOrder"/>. Default CLIP's.</summary>
    public float[] Mean { get; set; } = [0.48145466f, 0.4578275f, 0.40821073f];

    /// <summary>Per-channel standard deviation, in <see cref="ChannelOrder"/>. Default CLIP's.</summary>
    public float[] Std { get; set; } = [0.26862954f, 0.26130258f, 0.27577711f];

    /// <summary>rgb (default) or bgr.</summary>
    public string ChannelOrder { get; set; } = "rgb";

    /// <summary>Largest accepted width × height of a source image, checked before decoding. Default 100 megapixels.</summary>
    public long MaxPixels { get; set; } = 100_000_000;

    /// <inheritdoc />
    public override IEnumerable<string> Validate(string baseDirectory)
    {
        throw new NotImplementedException();
    }

    /// <inheritdoc />
    public override IPreprocessor CreatePreprocessor(string baseDirectory)
    {
        throw new NotImplementedException();
    }
}
