using FreeBind.Training.Pseudo;

namespace FreeBind.Tests.Training.Pseudo;

public sealed class PseudoBondReaderTests
{
    private const string BondJson = """
        {
          "name": "fused",
          "base": "u",
          "spaces": {
            "u": { "dimension": 3, "modalities": ["image", "text", "audio"] },
            "e": { "dimension": 2, "modalities": ["audio", "text"] }
          },
          "bonds": [ { "name": "c-e", "kind": "combination", "experts": ["e"], "projectors": { "e": "p/e" } } ]
        }
        """;

    [Fact]
    public void ValidBond_IsRead()
    {
        var bond = PseudoBondReader.Read(BondJson, "c-e");

        Assert.Equal("c-e", bond.Name);
    }

    [Fact]
    public void SpacesFile_IsRejectedWithPath()
    {
        const string SpacesJson = """
            {
              "spaces": [ { "name": "u", "encoders": [] } ]
            }
            """;

        var error = Assert.Throws<PseudoDatasetException>(() => PseudoBondReader.Read(SpacesJson, "c-e")).Message;

        Assert.Contains("spaces (line 2): expected an object of named entries, found an array", error);
        Assert.DoesNotContain("System.", error);
    }

    [Fact]
    public void UnknownKey_IsNamed()
    {
        var json = BondJson.Replace("\"experts\"", "\"expert\"", StringComparison.Ordinal);

        var error = Assert.Throws<PseudoDatasetException>(() => PseudoBondReader.Read(json, "c-e")).Message;

        Assert.Contains("bonds[0] (line 8): unknown key 'expert': did you mean 'experts'?", error);
    }
}
