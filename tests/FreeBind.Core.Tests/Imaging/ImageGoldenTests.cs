using System.Text.Json;

using FreeBind.Imaging;
using FreeBind.Media;

using Xunit.Abstractions;

namespace FreeBind.Tests.Imaging;

/// <summary>Compares preprocessed pixels with Pillow's output for the same file and settings.</summary>
public sealed class ImageGoldenTests(ITestOutputHelper output)
{
    // Largest accepted difference in 0-255 units. Every case matches exactly with Pillow 9.4 and
    // SkiaSharp 4.156, and 1 leaves room for CMYK rounding in other decoder builds.
    private const int Tolerance = 1;

    public static IEnumerable<object[]> ResizeCases => ImageFixtures.CaseNames("resize");

    public static IEnumerable<object[]> FormatCases => ImageFixtures.CaseNames("formats");

    public static IEnumerable<object[]> OrientationCases => ImageFixtures.CaseNames("orientation");

    public static IEnumerable<object[]> TiffCases => ImageFixtures.CaseNames("tiff");

    [Theory]
    [MemberData(nameof(ResizeCases))]
    public void Resize_MatchesPillow(string group, string name) => CheckCase(group, name);

    [Theory]
    [MemberData(nameof(FormatCases))]
    public void Format_MatchesPillow(string group, string name) => CheckCase(group, name);

    [Theory]
    [MemberData(nameof(OrientationCases))]
    public void Orientation_MatchesPillowExifTranspose(string group, string name) => CheckCase(group, name);

    [Theory]
    [MemberData(nameof(TiffCases))]
    public void Tiff_MatchesPillow(string group, string name) => CheckCase(group, name);

    private void CheckCase(string group, string name)
    {
        JsonElement golden = ImageFixtures.FindCase(group, name);
        int size = golden.GetProperty("size").GetInt32();
        ImageRecipe recipe = ImageFixtures.RawPixelRecipe(
            size,
            golden.GetProperty("resize").GetString()!,
            golden.GetProperty("interpolation").GetString()!);
        if (golden.TryGetProperty("grey16", out JsonElement grey16))
        {
            recipe.Grey16 = grey16.GetString()!;
        }

        byte[] file = ImageFixtures.Read(golden.GetProperty("file").GetString()!);

        PreprocessedItem item = recipe.CreatePreprocessor(".").Preprocess(file);

        NamedTensor tensor = Assert.Single(item.Inputs);
        Assert.Equal([3, size, size], tensor.Shape);
        if (golden.TryGetProperty("grey16ClampWarning", out _))
        {
            Assert.Equal([ImageDecoder.Grey16ClampedWarning], item.Warnings);
        }
        else
        {
            Assert.Empty(item.Warnings);
        }

        float[] values = tensor.Floats!;

        int worst = 0;
        int differing = 0;
        int compared = 0;
        string firstMismatch = "";
        foreach (JsonElement window in golden.GetProperty("windows").EnumerateArray())
        {
            int x0 = window.GetProperty("x").GetInt32();
            int y0 = window.GetProperty("y").GetInt32();
            int width = window.GetProperty("width").GetInt32();
            int height = window.GetProperty("height").GetInt32();
            byte[] expected = Convert.FromBase64String(window.GetProperty("rgb").GetString()!);

            for (int y = 0; y < height; y++)
            {
                for (int x = 0; x < width; x++)
                {
                    for (int c = 0; c < 3; c++)
                    {
                        int want = expected[(((y * width) + x) * 3) + c];
                        float got = values[(c * size * size) + ((y0 + y) * size) + x0 + x];
                        int difference = (int)Math.Abs(got - want);
                        compared++;
                        if (difference > 0)
                        {
                            differing++;
                        }

                        if (difference > worst)
                        {
                            worst = difference;
                            firstMismatch = $"pixel ({x0 + x}, {y0 + y}) channel {c}: expected {want}, got {got}";
                        }
                    }
                }
            }
        }

        output.WriteLine($"{name}: {compared} values, {differing} differ, max difference {worst} {firstMismatch}");
        Assert.True(worst <= Tolerance, $"{name}: max difference {worst} > {Tolerance} at {firstMismatch}");
    }
}
