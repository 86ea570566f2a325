using FreeBind.Imaging;

namespace FreeBind.Tests.Imaging;

public sealed class ImageRecipeTests
{
    [Fact]
    public void Defaults_AreValid()
    {
        Assert.Empty(new ImageRecipe().Validate("."));
    }

    [Fact]
    public void Validate_NamesEachBadValue()
    {
        var recipe = new ImageRecipe
        {
            Input = " ",
            Size = 0,
            Resize = "fill",
            Interpolation = "lanczos",
            ChannelOrder = "rgba",
            Scale = float.NaN,
            Mean = [0.5f, 0.5f],
            Std = [0.2f, 0f, float.PositiveInfinity],
            MaxPixels = 0,
        };

        List<string> problems = recipe.Validate(".").ToList();

        Assert.Contains(problems, p => p.Contains("input is empty"));
        Assert.Contains(problems, p => p.Contains("size 0 is invalid"));
        Assert.Contains(problems, p => p.Contains("resize 'fill' is unknown; use shortSide or exact"));
        Assert.Contains(problems, p => p.Contains("interpolation 'lanczos' is unknown"));
        Assert.Contains(problems, p => p.Contains("channelOrder 'rgba' is unknown; use rgb or bgr"));
        Assert.Contains(problems, p => p.Contains("scale NaN is invalid"));
        Assert.Contains(problems, p => p.Contains("mean has 2 (0.5, 0.5) values; give exactly 3"));
        Assert.Contains(problems, p => p.Contains("std[1] is 0; use a finite non-zero number"));
        Assert.Contains(problems, p => p.Contains("std[2] is Infinity"));
        Assert.Contains(problems, p => p.Contains("maxPixels 0 is invalid"));
        Assert.Equal(10, problems.Count);
    }

    [Fact]
    public void Validate_IgnoresCaseOfNames()
    {
        var recipe = new ImageRecipe { Resize = "SHORTSIDE", Interpolation = "Bilinear", ChannelOrder = "BGR" };

        Assert.Empty(recipe.Validate("."));
    }

    [Fact]
    public void CreatePreprocessor_RejectsInvalidRecipe()
    {
        var recipe = new ImageRecipe { Size = -1, Std = [1f, 1f] };

        ArgumentException error = Assert.Throws<ArgumentException>(() => recipe.CreatePreprocessor("."));

        Assert.Contains("size -1 is invalid", error.Message);
        Assert.Contains("std has 2", error.Message);
    }

    [Theory]
    [InlineData(640, 480, 298, 224, 37, 0)]
    [InlineData(480, 640, 224, 298, 0, 37)]
    [InlineData(67, 64, 33, 32, 0, 0)] // round(0.5) is 0 in Python: halves go to even
    [InlineData(64, 70, 32, 35, 0, 2)] // round(1.5) is 2
    [InlineData(100, 100, 32, 32, 0, 0)]
    public void Geometry_FollowsTorchvision(
        int width,
        int height,
        int resizedWidth,
        int resizedHeight,
        int left,
        int top)
    {
        int size = width == 640 || height == 640 ? 224 : 32;
        var preprocessor = new ImagePreprocessor(new ImageRecipe { Size = size });

        var geometry = preprocessor.ComputeGeometry(width, height);

        Assert.Equal((resizedWidth, resizedHeight, left, top), geometry);
    }
}
