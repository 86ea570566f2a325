using System.Globalization;

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

    /// <summary>
    /// shortSide (default): scale the short side to <see cref="Size"/>, then centre crop.
    /// exact: stretch to Size × Size.
    /// </summary>
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

    /// <summary>
    /// Largest accepted width × height of a source image, checked against the file header before
    /// decoding. Default 100 megapixels.
    /// </summary>
    public long MaxPixels { get; set; } = 100_000_000;

    /// <summary>
    /// Whether a large JPEG may be decoded at a reduced size (libjpeg DCT scaling, 1/2 to 1/8)
    /// when the reduced image still has at least twice the pixels per side that the resize needs.
    /// Default false, which decodes every JPEG at full size as the reference pipeline does.
    /// </summary>
    /// <remarks>
    /// DCT scaling makes a large JPEG decode several times faster. The output then differs slightly
    /// from a full-size decode followed by PIL's resize (mean difference under 1 unit of 0-255 on a
    /// 2400 × 1800 test image). Leave it false to match the reference pixel for pixel.
    /// </remarks>
    public bool JpegDctScaling { get; set; }

    /// <summary>
    /// How samples of a 16-bit greyscale PNG or TIFF without alpha become 8 bits: <c>clamp</c>
    /// (default) caps each sample at 255, as Pillow's <c>convert("RGB")</c> does, and
    /// <c>highByte</c> keeps each sample's high byte, as for every other 16-bit image.
    /// </summary>
    /// <remarks>
    /// Under clamp, every sample of 256 or more turns white, so a typical 16-bit photo or scan
    /// becomes almost all white, exactly as in the reference pipeline. Such images get a counted
    /// warning. Set highByte to embed the picture itself.
    /// </remarks>
    public string Grey16 { get; set; } = "clamp";

    /// <inheritdoc />
    public override IEnumerable<string> Validate(string baseDirectory)
    {
        var problems = new List<string>();

        if (string.IsNullOrWhiteSpace(Input))
        {
            problems.Add(
                "image recipe: input is empty; set it to the model's image input name, for example pixel_values");
        }

        if (Size <= 0)
        {
            problems.Add(Invariant(
                $"image recipe: size {Size} is invalid; use a positive side length in pixels, for example 224"));
        }

        if (!ImageRecipeParser.TryParseResize(Resize, out _))
        {
            problems.Add($"image recipe: resize '{Resize}' is unknown; use shortSide or exact");
        }

        if (!ImageRecipeParser.TryParseInterpolation(Interpolation, out _))
        {
            problems.Add(
                $"image recipe: interpolation '{Interpolation}' is unknown; use bicubic, bilinear or nearest");
        }

        if (!ImageRecipeParser.TryParseChannelOrder(ChannelOrder, out _))
        {
            problems.Add($"image recipe: channelOrder '{ChannelOrder}' is unknown; use rgb or bgr");
        }

        if (!float.IsFinite(Scale) || Scale == 0f)
        {
            problems.Add(Invariant(
                $"image recipe: scale {Scale} is invalid; use a finite non-zero multiplier such as 1/255"));
        }

        AddChannelProblems(problems, "mean", Mean, requireNonZero: false);
        AddChannelProblems(problems, "std", Std, requireNonZero: true);

        if (!ImageRecipeParser.TryParseGrey16(Grey16, out _))
        {
            problems.Add($"image recipe: grey16 '{Grey16}' is unknown; use clamp or highByte");
        }

        if (MaxPixels <= 0)
        {
            problems.Add(Invariant(
                $"image recipe: maxPixels {MaxPixels} is invalid; use a positive pixel count, for example 100000000"));
        }

        return problems;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The recipe has invalid values; the message lists them.</exception>
    public override IPreprocessor CreatePreprocessor(string baseDirectory) => new ImagePreprocessor(this);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    private static void AddChannelProblems(List<string> problems, string name, float[]? values, bool requireNonZero)
    {
        if (values is null || values.Length != 3)
        {
            string found = "none";
            if (values is not null)
            {
                IEnumerable<string> listed = values.Select(v => v.ToString(CultureInfo.InvariantCulture));
                found = Invariant($"{values.Length} ({string.Join(", ", listed)})");
            }

            problems.Add($"image recipe: {name} has {found} values; give exactly 3, one per channel");
            return;
        }

        for (int channel = 0; channel < 3; channel++)
        {
            float value = values[channel];
            if (!float.IsFinite(value) || (requireNonZero && value == 0f))
            {
                string expected = requireNonZero ? "a finite non-zero number" : "a finite number";
                problems.Add(Invariant($"image recipe: {name}[{channel}] is {value}; use {expected}"));
            }
        }
    }
}
