namespace FreeBind.Imaging;

/// <summary>How the source image is brought to the output size.</summary>
internal enum ResizeMode
{
    /// <summary>Scale the short side to the output size, keep the aspect ratio, then centre crop.</summary>
    ShortSide,

    /// <summary>Stretch both sides to the output size.</summary>
    Exact,
}

/// <summary>Resampling filter, named as in PIL.</summary>
internal enum ResampleFilter
{
    Nearest,
    Bilinear,
    Bicubic,
}

/// <summary>Parsers for the string options of <see cref="ImageRecipe"/>, ignoring case.</summary>
internal static class ImageRecipeParser
{
    public static bool TryParseResize(string? value, out ResizeMode mode)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "shortside":
                mode = ResizeMode.ShortSide;
                return true;
            case "exact":
                mode = ResizeMode.Exact;
                return true;
            default:
                mode = default;
                return false;
        }
    }

    public static bool TryParseInterpolation(string? value, out ResampleFilter filter)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "bicubic":
                filter = ResampleFilter.Bicubic;
                return true;
            case "bilinear":
                filter = ResampleFilter.Bilinear;
                return true;
            case "nearest":
                filter = ResampleFilter.Nearest;
                return true;
            default:
                filter = default;
                return false;
        }
    }

    /// <summary>Parses the grey16 setting: clamp (true) or highByte (false), ignoring case.</summary>
    public static bool TryParseGrey16(string? value, out bool clamp)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "clamp":
                clamp = true;
                return true;
            case "highbyte":
                clamp = false;
                return true;
            default:
                clamp = false;
                return false;
        }
    }

    /// <summary>Parses rgb or bgr; <paramref name="reversed"/> is true for bgr.</summary>
    public static bool TryParseChannelOrder(string? value, out bool reversed)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "rgb":
                reversed = false;
                return true;
            case "bgr":
                reversed = true;
                return true;
            default:
                reversed = false;
                return false;
        }
    }
}
