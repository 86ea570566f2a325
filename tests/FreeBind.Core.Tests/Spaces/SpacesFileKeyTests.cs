using FreeBind.Demo;
using FreeBind.Spaces;

namespace FreeBind.Tests.Spaces;

public sealed class SpacesFileKeyTests
{
    private const string ImageEncoder = """
        {
          "modality": "image",
          "model": "m.onnx",
          "output": "embedding",
          "dimension": 4,
          "preprocess": { "kind": "image", "size": 8 }
        }
        """;

    [Fact]
    public void MisspeltModality_NamesKeyPathAndSuggestion()
    {
        var second = ImageEncoder.Replace("\"modality\": \"image\"", "\"modalty\": \"text\"", StringComparison.Ordinal);

        var error = ParseError(Spaces(ImageEncoder + "," + second));

        Assert.Contains("unknown key 'modalty'", error);
        Assert.Contains("spaces[0].encoders[1]", error);
        Assert.Contains("did you mean 'modality'?", error);
        Assert.DoesNotContain("preprocess kind", error);
    }

    [Fact]
    public void MisspeltNormalize_IsRejected()
    {
        var encoder = ImageEncoder.Replace("\"dimension\": 4,", "\"dimension\": 4, \"normalise\": false,", StringComparison.Ordinal);

        var error = ParseError(Spaces(encoder));

        Assert.Contains("spaces[0].encoders[0] (line ", error);
        Assert.Contains("unknown key 'normalise': did you mean 'normalize'?", error);
    }

    [Fact]
    public void UnknownRecipeKey_NamesRecipePath()
    {
        var encoder = ImageEncoder.Replace("\"size\": 8", "\"size\": 8, \"colour\": \"rgb\"", StringComparison.Ordinal);

        var error = ParseError(Spaces(encoder));

        Assert.Contains("spaces[0].encoders[0].preprocess", error);
        Assert.Contains("unknown key 'colour'", error);
        Assert.Contains("known keys:", error);
    }

    [Fact]
    public void WrongValueKind_SaysWhatWasExpected()
    {
        var encoder = ImageEncoder.Replace("\"dimension\": 4", "\"dimension\": \"4\"", StringComparison.Ordinal);

        var error = ParseError(Spaces(encoder));

        Assert.Contains("spaces[0].encoders[0].dimension", error);
        Assert.Contains("expected a whole number, found a string", error);
        Assert.DoesNotContain("System.", error);
    }

    [Fact]
    public void UnknownModalityValue_ListsModalities()
    {
        var encoder = ImageEncoder.Replace("\"modality\": \"image\"", "\"modality\": \"video\"", StringComparison.Ordinal);

        var error = ParseError(Spaces(encoder));

        Assert.Contains("invalid value 'video': use image, text, audio", error);
    }

    [Fact]
    public void MissingRecipeKind_IsNamed()
    {
        var encoder = ImageEncoder.Replace("\"kind\": \"image\", ", "", StringComparison.Ordinal);

        var error = ParseError(Spaces(encoder));

        Assert.Contains("spaces[0].encoders[0].preprocess", error);
        Assert.Contains("missing key 'kind'", error);
    }

    [Fact]
    public void DocumentedKeysAndComments_StillParse()
    {
        var encoder = """
            {
              "modality": "image", // comment
              "model": "m.onnx",
              "preprocessModel": null,
              "dynamicBatch": false,
              "output": "embedding",
              "dimension": 4,
              "pooling": "none",
              "normalize": true,
              "batchSize": 32,
              "preprocess": { "kind": "image" /* recipe */ },
            }
            """;

        var file = SpacesFile.Parse(Spaces(encoder), "/tmp");

        Assert.Equal("s", file.Spaces[0].Name);
    }

    [Fact]
    public void Grey16Setting_IsReadAndChecked()
    {
        var highByte = ImageEncoder.Replace("\"size\": 8", "\"size\": 8, \"grey16\": \"highByte\"", StringComparison.Ordinal);
        var unknown = ImageEncoder.Replace("\"size\": 8", "\"size\": 8, \"grey16\": \"round\"", StringComparison.Ordinal);

        var file = SpacesFile.Parse(Spaces(highByte), "/tmp");
        var error = ParseError(Spaces(unknown));

        Assert.Equal("highByte", Assert.IsType<FreeBind.Imaging.ImageRecipe>(file.Spaces[0].Encoders[0].Preprocess).Grey16);
        Assert.Contains("grey16 'round' is unknown; use clamp or highByte", error);
    }

    [Fact]
    public void DemoSpacesFile_HasNoShapeProblems()
    {
        // The demo's tokenizer files exist only in a generated world, so only the shape check runs here.
        var error = Record.Exception(() => SpacesFile.Parse(DemoSpaces.ToJson(), "/tmp", "demo spaces"));

        Assert.NotNull(error);
        Assert.DoesNotContain("not a valid spaces file", error.Message, StringComparison.Ordinal);
        Assert.Contains("not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SampleSpacesFile_Loads()
    {
        var file = SpacesFile.Load(FindSample());

        Assert.Equal(["resnet18", "minilm", "generated-audio"], file.Spaces.Select(space => space.Name));
    }

    private static string Spaces(string encoders) =>
        $$"""
        {
          // a comment
          "spaces": [ { "name": "s", "encoders": [ {{encoders}} ] } ]
        }
        """;

    private static string ParseError(string json) =>
        Assert.Throws<SpacesFileException>(() => SpacesFile.Parse(json, "/tmp", "spaces.json")).Message;

    private static string FindSample()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "samples", "spaces.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("samples/spaces.json not found above the test output folder");
    }
}
