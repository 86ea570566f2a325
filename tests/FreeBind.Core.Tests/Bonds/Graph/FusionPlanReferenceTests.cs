using FreeBind.Bonds;
using FreeBind.Bonds.Graph;
using FreeBind.Media;

using static FreeBind.Tests.Bonds.Graph.BondGraphFixture;

namespace FreeBind.Tests.Bonds.Graph;

public sealed class FusionPlanReferenceTests
{
    private const string CombinationA = """
        { "name": "c-a", "kind": "combination", "experts": ["a"],
          "projectors": { "a": "p/a-u" }, "factors": { "audio": 0.5, "text": 0.5 } }
        """;

    private static readonly FusionPlan Plan = BondCompiler.Compile(Load(File(CombinationA)), Modality.Audio, null, null);

    [Fact]
    public void Apply_RejectsMissingInput()
    {
        var error = Assert.Throws<ArgumentException>(() => Apply(Plan, ("u", [1, 0, 0])));

        Assert.Contains("input 'a' is missing", error.Message);
    }

    [Fact]
    public void Apply_RejectsWrongDimension()
    {
        var error = Assert.Throws<ArgumentException>(() => Apply(Plan, ("u", [1, 0]), ("a", [3, 4])));

        Assert.Contains("input 'u' has 2 values, expected 3", error.Message);
    }

    [Fact]
    public void Apply_RejectsWrongProjectorOutput()
    {
        var inputs = new Dictionary<string, float[]> { ["u"] = [1, 0, 0], ["a"] = [3, 4] };

        var error = Assert.Throws<ArgumentException>(
            () => FusionPlanReference.Apply(Plan, inputs, (_, _) => [1f, 0f]));

        Assert.Contains("projector 'a-u/mix' returned 2 values, expected 3", error.Message);
    }

    [Fact]
    public void Apply_LeavesInputsUnchanged()
    {
        float[] baseEmbedding = [1, 0, 0];
        float[] expert = [3, 4];

        Apply(Plan, ("u", baseEmbedding), ("a", expert));

        Assert.Equal([1f, 0f, 0f], baseEmbedding);
        Assert.Equal([3f, 4f], expert);
    }
}
