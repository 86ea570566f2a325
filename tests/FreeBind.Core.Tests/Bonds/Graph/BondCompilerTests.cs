using FreeBind.Bonds;
using FreeBind.Bonds.Graph;
using FreeBind.Media;

using static FreeBind.Tests.Bonds.Graph.BondGraphFixture;

namespace FreeBind.Tests.Bonds.Graph;

public sealed class BondCompilerTests
{
    private const string CombinationA = """
        { "name": "c-a", "kind": "combination", "experts": ["a"],
          "projectors": { "a": "p/a-u" }, "factors": { "audio": 0.5, "text": 0.5 } }
        """;

    private const string DisplacementE = """
        { "name": "d-e", "kind": "displacement", "experts": ["e"],
          "projectors": { "e": "p/u-e" }, "factors": { "image": 0.5, "text": 0.5 } }
        """;

    // Combination in the 2-d space that d-e leaves behind.
    private const string CombinationA2 = """
        { "name": "c-a2", "kind": "combination", "experts": ["a"],
          "projectors": { "a": "p/a-2" }, "factors": { "audio": 0.8, "text": 0.5 } }
        """;

    private static readonly double[] HalfMixOfA = [0.42426406871192845, 0.565685424949238, 0.7071067811865475];

    [Fact]
    public void Combination_MixesProjectedExpert()
    {
        var plan = BondCompiler.Compile(Load(File(CombinationA)), Modality.Audio, null, null);

        Assert.Equal(["u", "a"], plan.Inputs);
        Assert.Equal([3, 2], plan.InputDimensions);
        Assert.Equal(3, plan.OutputDimension);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("c-a", step.Bond);
        Assert.Equal(FusionStep.Current, step.Keep);
        Assert.Equal(0.5f, step.Factor);
        Assert.False(step.FactorFixed);
        var member = Assert.Single(step.Members);
        Assert.Equal("a", member.Input);
        Assert.Equal("a-u/mix", member.Label);

        // P(a) = normalize(3, 4, 0) = (0.6, 0.8, 0); normalize(0.5·(0, 0, 1) + 0.5·P).
        var fused = Apply(plan, ("u", [0, 0, 1]), ("a", [3, 4]));
        AssertClose(HalfMixOfA, fused);
    }

    [Fact]
    public void Combination_AveragesEnsembleMembers()
    {
        var bond = CombinationA.Replace("p/a-u", "p/a-u-ensemble");
        var plan = BondCompiler.Compile(Load(File(bond)), Modality.Audio, null, null);

        Assert.Equal(["a-u-ensemble/A", "a-u-ensemble/mix"], plan.Steps[0].Members.Select(m => m.Label));

        // Members: (0.6, 0.8, 0) and (0, 0, 1); P = normalize(mean) = HalfMixOfA.
        var fused = Apply(plan, ("u", [1, 0, 0]), ("a", [3, 4]));
        AssertClose([0.8438791586216384, 0.3351696858310899, 0.41896210728886235], fused);
    }

    [Fact]
    public void Combination_SkipsModalityExpertLacks()
    {
        var plan = BondCompiler.Compile(Load(File(CombinationA)), Modality.Image, null, null);

        Assert.Empty(plan.Steps);
        Assert.Equal(["u"], plan.Inputs);
        Assert.Equal(3, plan.OutputDimension);
        Assert.Equal([1f, 2f, 2f], Apply(plan, ("u", [1, 2, 2])));
    }

    [Fact]
    public void Displacement_MixesIntoExpertSpace()
    {
        var plan = BondCompiler.Compile(Load(File(DisplacementE)), Modality.Image, null, null);

        Assert.Equal(["u", "e"], plan.Inputs);
        Assert.Equal([3, 2], plan.InputDimensions);
        Assert.Equal(2, plan.OutputDimension);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("e", step.Keep);
        Assert.Equal(FusionStep.Current, Assert.Single(step.Members).Input);
        Assert.Equal(2, step.OutputDimension);

        // P(u) = normalize(1, 2 + 2) = (1, 4)/√17; normalize(0.5·(1, 0) + 0.5·P).
        var fused = Apply(plan, ("u", [1, 2, 2]), ("e", [1, 0]));
        AssertClose([0.7882054380161092, 0.6154122094026356], fused);
    }

    [Fact]
    public void Displacement_ReplacesUncoveredModality()
    {
        var plan = BondCompiler.Compile(Load(File(DisplacementE)), Modality.Audio, null, null);

        Assert.Equal(["u"], plan.Inputs);
        Assert.Equal(2, plan.OutputDimension);
        var step = Assert.Single(plan.Steps);
        Assert.True(step.FactorFixed);
        Assert.Equal(1f, step.Factor);
        Assert.Equal(FusionStep.Current, step.Keep);

        var fused = Apply(plan, ("u", [1, 2, 2]));
        AssertClose([0.24253562503633297, 0.9701425001453319], fused);
    }

    [Fact]
    public void Sequential_DisplacementThenCombination()
    {
        var file = Load(File(DisplacementE + "," + CombinationA2));

        var text = BondCompiler.Compile(file, Modality.Text, null, null);
        Assert.Equal(["u", "e", "a"], text.Inputs);
        Assert.Equal([3, 2, 2], text.InputDimensions);
        Assert.Equal([2, 2], text.Steps.Select(step => step.OutputDimension));
        Assert.Equal(2, text.OutputDimension);

        // Step 1 as in Displacement_MixesIntoExpertSpace; step 2 mixes P(a) = normalize(4, 3).
        var fusedText = Apply(text, ("u", [1, 2, 2]), ("e", [1, 0]), ("a", [3, 4]));
        AssertClose([0.7941401087878971, 0.6077347181248961], fusedText);

        var image = BondCompiler.Compile(file, Modality.Image, null, null);
        Assert.Equal(["d-e"], image.Steps.Select(step => step.Bond));
        AssertClose([0.7882054380161092, 0.6154122094026356], Apply(image, ("u", [1, 2, 2]), ("e", [1, 0])));

        // Audio: d-e replaces u by P(u) = (1, 4)/√17, then c-a2 mixes (0.8, 0.6) at 0.8.
        var audio = BondCompiler.Compile(file, Modality.Audio, null, null);
        Assert.Equal(["u", "a"], audio.Inputs);
        Assert.True(audio.Steps[0].FactorFixed);
        Assert.Equal(0.8f, audio.Steps[1].Factor);
        AssertClose([0.7145803216974307, 0.6995534031385999], Apply(audio, ("u", [1, 2, 2]), ("a", [3, 4])));
    }

    [Fact]
    public void Parallel_AveragesBothExperts()
    {
        const string bond = """
            { "name": "c-ab", "kind": "combination", "experts": ["a", "b"],
              "projectors": { "a": "p/a-u", "b": "p/b-u" }, "factors": { "audio": 0.5, "text": 0.3 } }
            """;
        var file = Load(File(bond));

        var audio = BondCompiler.Compile(file, Modality.Audio, null, null);
        Assert.Equal(["u", "a", "b"], audio.Inputs);
        Assert.Equal(["a", "b"], audio.Steps[0].Members.Select(member => member.Input));

        // a: (3, 4) → (0.6, 0.8, 0); b: (1, 1) → (0, 0, 1); P = normalize(mean) = HalfMixOfA.
        var fused = Apply(audio, ("u", [1, 0, 0]), ("a", [3, 4]), ("b", [1, 1]));
        AssertClose([0.8438791586216384, 0.3351696858310899, 0.41896210728886235], fused);

        // Only a embeds text, so b's projectors stay out of the text plan.
        var text = BondCompiler.Compile(file, Modality.Text, null, null);
        Assert.Equal(["u", "a"], text.Inputs);
        Assert.Equal("a", Assert.Single(text.Steps[0].Members).Input);
    }

    [Fact]
    public void ParallelDisplacement_KeepsFirstCoveringExpert()
    {
        const string bond = """
            { "name": "d-ef", "kind": "displacement", "experts": ["e", "f"],
              "projectors": { "e": "p/u-e", "f": "p/u-f" }, "factors": { "image": 0.5, "text": 0.5 } }
            """;
        var file = Load(File(bond));

        var text = BondCompiler.Compile(file, Modality.Text, null, null);
        Assert.Equal("e", text.Steps[0].Keep);
        Assert.Equal(2, text.Steps[0].Members.Count);
        Assert.All(text.Steps[0].Members, member => Assert.Equal(FusionStep.Current, member.Input));

        // u = (1, 1, 0): P_e = (1, 1)/√2, P_f = (1, 1)/√2, so P = (1, 1)/√2 and factor 1 gives it.
        var overrides = Overrides("d-ef", Modality.Text, 1f);
        var projected = BondCompiler.Compile(file, Modality.Text, null, overrides);
        AssertClose([Math.Sqrt(0.5), Math.Sqrt(0.5)], Apply(projected, ("u", [1, 1, 0]), ("e", [1, 0])));
    }

    [Fact]
    public void FactorZero_GivesNormalisedKeep()
    {
        var file = Load(File(CombinationA));
        var plan = BondCompiler.Compile(file, Modality.Audio, null, Overrides("c-a", Modality.Audio, 0f));

        var fused = Apply(plan, ("u", [3, 0, 4]), ("a", [3, 4]));

        Assert.Equal([0.6f, 0f, 0.8f], fused);
    }

    [Fact]
    public void FactorOne_GivesProjection()
    {
        var file = Load(File(CombinationA));
        var plan = BondCompiler.Compile(file, Modality.Audio, null, Overrides("c-a", Modality.Audio, 1f));

        var fused = Apply(plan, ("u", [3, 0, 4]), ("a", [3, 4]));

        AssertClose([0.6, 0.8, 0], fused);
    }

    [Fact]
    public void Factors_OverrideBeatsProfileBeatsDefault()
    {
        const string profiles = """{ "versatile": { "c-a": { "text": 0.1, "audio": 0.5 } }, "at": { "c-a": { "audio": 0.8 } } }""";
        var file = Load(File(CombinationA.Replace("\"audio\": 0.5", "\"audio\": 0.2"), profiles));

        Assert.Equal(0.2f, BondCompiler.Compile(file, Modality.Audio, null, null).Steps[0].Factor);
        Assert.Equal(0.5f, BondCompiler.Compile(file, Modality.Audio, "versatile", null).Steps[0].Factor);
        Assert.Equal(0.1f, BondCompiler.Compile(file, Modality.Text, "versatile", null).Steps[0].Factor);

        // The "at" profile sets only audio, so text falls back to the bond default 0.5.
        Assert.Equal(0.5f, BondCompiler.Compile(file, Modality.Text, "at", null).Steps[0].Factor);

        var overrides = Overrides("c-a", Modality.Audio, 0.9f);
        Assert.Equal(0.9f, BondCompiler.Compile(file, Modality.Audio, "versatile", overrides).Steps[0].Factor);
        Assert.Equal(0.1f, BondCompiler.Compile(file, Modality.Text, "versatile", overrides).Steps[0].Factor);
    }

    [Fact]
    public void EffectiveFactors_ListsEachStep()
    {
        var file = Load(File(DisplacementE + "," + CombinationA2));
        var plan = BondCompiler.Compile(file, Modality.Audio, null, Overrides("c-a2", Modality.Audio, 0.3f));

        var factors = BondCompiler.EffectiveFactors(plan);

        Assert.Equal(2, factors.Count);
        Assert.Equal(1f, factors["d-e"]);
        Assert.Equal(0.3f, factors["c-a2"]);
    }

    [Fact]
    public void FusedModalities_AreBaseModalities()
    {
        var file = Load(File(DisplacementE));

        Assert.Equal([Modality.Image, Modality.Text, Modality.Audio], BondCompiler.FusedModalities(file));
        Assert.Equal(3, BondCompiler.CompileAll(file).Count);
    }

    [Fact]
    public void Compile_RejectsModalityBaseLacks()
    {
        var spaces = """
            "u": { "dimension": 3, "modalities": ["image", "text"] },
            "e": { "dimension": 2, "modalities": ["image", "text"] }
            """;
        var file = Load(File(DisplacementE, spaces: spaces));

        var error = Assert.Throws<BondFileException>(() => BondCompiler.Compile(file, Modality.Audio, null, null));

        Assert.Contains("audio", error.Message);
        Assert.Contains("'u'", error.Message);
    }

    [Fact]
    public void Compile_RejectsUnknownProfile()
    {
        var file = Load(File(CombinationA, """{ "versatile": { "c-a": { "text": 0.1 } } }"""));

        var error = Assert.Throws<BondFileException>(() => BondCompiler.Compile(file, Modality.Text, "expert", null));

        Assert.Contains("'expert'", error.Message);
        Assert.Contains("versatile", error.Message);
    }

    [Theory]
    [InlineData("c-x", Modality.Audio, 0.5f, "bond 'c-x'")]
    [InlineData("c-a", Modality.Audio, 1.5f, "1.5")]
    [InlineData("c-a", Modality.Image, 0.5f, "'image'")]
    [InlineData("d-e", Modality.Audio, 0.5f, "fixed at 1")]
    public void Compile_RejectsInvalidOverride(string bond, Modality modality, float factor, string expected)
    {
        var file = Load(File(DisplacementE + "," + CombinationA2.Replace("c-a2", "c-a")));

        var error = Assert.Throws<BondFileException>(
            () => BondCompiler.Compile(file, Modality.Text, null, Overrides(bond, modality, factor)));

        Assert.Contains($"'{bond}'", error.Message);
        Assert.Contains(expected, error.Message);
    }

    private static Dictionary<string, IReadOnlyDictionary<Modality, float>> Overrides(string bond, Modality modality, float factor) =>
        new() { [bond] = new Dictionary<Modality, float> { [modality] = factor } };
}
