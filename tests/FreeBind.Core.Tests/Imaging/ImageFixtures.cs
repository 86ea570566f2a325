using System.Text.Json;

using FreeBind.Imaging;

namespace FreeBind.Tests.Imaging;

/// <summary>Reads the image fixtures and the golden pixels that tools/golden/imaging/golden.py wrote.</summary>
internal static class ImageFixtures
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Imaging");

    public static byte[] Read(string file) => File.ReadAllBytes(Path.Combine(Folder, file));

    public static JsonElement LoadGroup(string group)
    {
        string path = Path.Combine(Folder, $"golden-{group}.json");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.Clone();
    }

    public static IEnumerable<object[]> CaseNames(string group) => LoadGroup(group)
        .GetProperty("cases")
        .EnumerateArray()
        .Select(c => new object[] { group, c.GetProperty("name").GetString()! });

    public static JsonElement FindCase(string group, string name) => LoadGroup(group)
        .GetProperty("cases")
        .EnumerateArray()
        .Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>A recipe whose tensor values are the raw 0-255 pixel values.</summary>
    public static ImageRecipe RawPixelRecipe(
        int size,
        string resize = "shortSide",
        string interpolation = "bicubic") => new()
    {
        Size = size,
        Resize = resize,
        Interpolation = interpolation,
        Scale = 1f,
        Mean = [0f, 0f, 0f],
        Std = [1f, 1f, 1f],
        JpegDctScaling = false,
    };
}
