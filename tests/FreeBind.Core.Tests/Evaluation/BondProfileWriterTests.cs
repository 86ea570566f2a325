using System.Text.Json.Nodes;

using FreeBind.Evaluation.Search;
using FreeBind.Media;

namespace FreeBind.Tests.Evaluation;

public sealed class BondProfileWriterTests
{
    private const string BondFile = """
        {
          // comments are allowed in the input
          "name": "fused",
          "bonds": [
            { "name": "c-a", "projectors": { "a": "train/a", "b": "/abs/b", "c": "az://box/c" } }
          ],
          "profiles": { "old": { "c-a": { "audio": 0.2 } } }
        }
        """;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<(SweepAxis Axis, double Factor)>> Profiles =
        new Dictionary<string, IReadOnlyList<(SweepAxis Axis, double Factor)>>
        {
            ["best"] = [(new SweepAxis("c-a", Modality.Audio), 0.41234), (new SweepAxis("c-a", Modality.Text), 0.5)],
        };

    [Fact]
    public void Profiles_AddedAndOthersKept()
    {
        var root = JsonNode.Parse(BondProfileWriter.AddProfiles(BondFile, Profiles))!;

        Assert.Equal(0.4123, root["profiles"]!["best"]!["c-a"]!["audio"]!.GetValue<double>());
        Assert.Equal(0.5, root["profiles"]!["best"]!["c-a"]!["text"]!.GetValue<double>());
        Assert.Equal(0.2, root["profiles"]!["old"]!["c-a"]!["audio"]!.GetValue<double>());
        Assert.Equal("train/a", root["bonds"]![0]!["projectors"]!["a"]!.GetValue<string>());
    }

    [Fact]
    public void OtherFolder_RebasesRelativeProjectors()
    {
        var written = BondProfileWriter.AddProfiles(BondFile, Profiles, "/work/run", "/work/copies/sweep");
        var projectors = JsonNode.Parse(written)!["bonds"]![0]!["projectors"]!;

        Assert.Equal("../../run/train/a", projectors["a"]!.GetValue<string>());
        Assert.Equal("/abs/b", projectors["b"]!.GetValue<string>());
        Assert.Equal("az://box/c", projectors["c"]!.GetValue<string>());
    }
}
