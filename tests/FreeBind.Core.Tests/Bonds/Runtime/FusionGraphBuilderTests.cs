using FreeBind.Bonds;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;
using FreeBind.Media;

namespace FreeBind.Tests.Bonds.Runtime;

public sealed class FusionGraphBuilderTests
{
    internal const double Tolerance = 1e-5;
    internal const int Batch = 5;

    internal static readonly FusionRunnerOptions Cpu = new() { Provider = ExecutionProvider.Cpu, IntraOpThreads = 1 };

    [Theory]
    [InlineData(8, 16, 6, "relu", true, 1)]
    [InlineData(8, 16, 6, "gelu", true, 3)]
    [InlineData(8, 16, 6, "silu", false, 2)]
    [InlineData(8, 16, 6, "tanh", false, 1)]
    [InlineData(32, 64, 24, "relu", false, 4)]
    [InlineData(32, 64, 24, "gelu", false, 2)]
    [InlineData(32, 64, 24, "silu", true, 3)]
    [InlineData(32, 64, 24, "tanh", true, 5)]
    [InlineData(64, 256, 48, "gelu", true, 7)]
    public void Ensemble_MatchesReference(int inputs, int hidden, int outputs, string activation, bool batchNorm, int count)
    {
        foreach (var layout in Enum.GetValues<ProjectorLayout>())
        {
            AssertEnsembleMatches(inputs, hidden, outputs, activation, batchNorm, count, layout);
        }
    }

    private static void AssertEnsembleMatches(
        int inputs, int hidden, int outputs, string activation, bool batchNorm, int count, ProjectorLayout layout)
    {
        var members = Enumerable.Range(0, count)
            .Select(k => RandomProjectors.Create(100 + k, inputs, hidden, outputs, activation, batchNorm))
            .ToList();
        var embeddings = RandomProjectors.Embeddings(1, Batch, inputs);

        using var runner = FusionRunner.CreateEnsemble(members, Cpu, layout: layout);
        var fused = runner.Run([embeddings], Batch);

        Assert.Equal(Batch * outputs, fused.Length);
        for (var r = 0; r < Batch; r++)
        {
            var row = RandomProjectors.Row(embeddings, r, inputs);
            var expected = ReferenceProjector.Ensemble(members.Select(m => (m, row)));
            AssertRow(expected, fused, r, $"{layout} row {r}");
        }
    }

    [Fact]
    public void Combination_MatchesReference()
    {
        var step = new FusionStep("c(expert-a)", FusionStep.Current, 0.3f, false,
            [Member("expert-a", 1, 12, 8)], 8);
        AssertPlanMatches(Plan(8, step));
    }

    [Fact]
    public void Displacement_MatchesReference()
    {
        var step = new FusionStep("d(expert-a)", "expert-a", 0.6f, false,
            [Member(FusionStep.Current, 2, 8, 12, "gelu"), Member(FusionStep.Current, 3, 8, 12, "gelu")], 12);
        AssertPlanMatches(Plan(12, step));
    }

    [Fact]
    public void FixedReplacement_MatchesReference()
    {
        var step = new FusionStep("d(expert.b)", FusionStep.Current, 1f, true,
            [Member(FusionStep.Current, 4, 8, 6, "silu"), Member(FusionStep.Current, 5, 8, 6, "silu", batchNorm: false)], 6);
        AssertPlanMatches(Plan(6, step));
    }

    [Fact]
    public void ParallelStep_MatchesReference()
    {
        // Two members read expert-a with one activation, one reads it with another (a second group),
        // and one reads expert.b.
        var step = new FusionStep("c(expert-a+expert.b)", FusionStep.Current, 0.45f, false,
        [
            Member("expert-a", 6, 12, 8),
            Member("expert-a", 7, 12, 8),
            Member("expert-a", 8, 12, 8, "tanh"),
            Member("expert.b", 9, 6, 8, "gelu"),
        ], 8);
        AssertPlanMatches(Plan(8, step));
    }

    [Fact]
    public void StepSequence_MatchesReference()
    {
        AssertPlanMatches(TwoStepPlan());
    }

    [Fact]
    public void NoSteps_ReturnsBaseInput()
    {
        var plan = Plan(8);
        var inputs = Inputs(plan);

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);
        var fused = runner.Run(inputs, Batch);

        Assert.Equal(inputs[0], fused);
    }

    [Fact]
    public void InputNames_AreSanitised()
    {
        using var runner = FusionRunner.Create(TwoStepPlan(), new FusionGraphOptions(), Cpu);

        Assert.Equal(["base", "expert_a", "expert_b"], runner.InputNames);
        Assert.Equal("factor_d_expert_a_", FusionGraphBuilder.FactorInputName("d(expert-a)"));
        Assert.Equal("_3d", FusionGraphBuilder.InputName("3d"));
    }

    [Fact]
    public void ClashingInputNames_Throw()
    {
        var plan = new FusionPlan(Modality.Image, ["base", "a-b", "a.b"], [8, 4, 4], [], 8);

        var exception = Assert.Throws<ArgumentException>(() => FusionGraphBuilder.Build(plan, new FusionGraphOptions()));

        Assert.Contains("'a_b'", exception.Message);
    }

    [Fact]
    public void WrongMemberDimension_Throws()
    {
        var step = new FusionStep("c(expert-a)", FusionStep.Current, 0.3f, false, [Member("expert-a", 1, 8, 8)], 8);

        var exception = Assert.Throws<ArgumentException>(() => FusionGraphBuilder.Build(Plan(8, step), new FusionGraphOptions()));

        Assert.Contains("set/1", exception.Message);
        Assert.Contains("'expert-a' (12)", exception.Message);
    }

    [Fact]
    public void UnknownInput_Throws()
    {
        var step = new FusionStep("c(x)", FusionStep.Current, 0.3f, false, [Member("missing", 1, 8, 8)], 8);

        var exception = Assert.Throws<ArgumentException>(() => FusionGraphBuilder.Build(Plan(8, step), new FusionGraphOptions()));

        Assert.Contains("'missing'", exception.Message);
    }

    [Fact]
    public void MissingBatchNormArrays_Throw()
    {
        var weights = RandomProjectors.Create(1, 8, 16, 8);
        var broken = new ProjectorWeights
        {
            Architecture = weights.Architecture,
            Weight1 = weights.Weight1,
            Bias1 = weights.Bias1,
            Weight2 = weights.Weight2,
            Bias2 = weights.Bias2,
        };

        var exception = Assert.Throws<ArgumentException>(() => FusionGraphBuilder.BuildEnsemble([broken]));

        Assert.Contains("Norm1Scale", exception.Message);
    }

    /// <summary>Plan inputs: base (8), expert-a (12), expert.b (6); output dimension as given.</summary>
    internal static FusionPlan Plan(int outputDimension, params FusionStep[] steps) =>
        new(Modality.Image, ["base", "expert-a", "expert.b"], [8, 12, 6], steps, outputDimension);

    /// <summary>d(expert-a) from 8 to 12, then c(expert.b) at 12.</summary>
    internal static FusionPlan TwoStepPlan() => Plan(
        12,
        new FusionStep("d(expert-a)", "expert-a", 0.7f, false,
            [Member(FusionStep.Current, 10, 8, 12), Member(FusionStep.Current, 11, 8, 12, "gelu")], 12),
        new FusionStep("c(expert.b)", FusionStep.Current, 0.25f, false,
            [Member("expert.b", 12, 6, 12, "silu"), Member("expert.b", 13, 6, 12, "silu")], 12));

    internal static ProjectorMember Member(
        string input, int seed, int inputs, int outputs, string activation = "relu", bool batchNorm = true) =>
        new(input, RandomProjectors.Create(seed, inputs, 16, outputs, activation, batchNorm), $"set/{seed}");

    internal static float[][] Inputs(FusionPlan plan) =>
        plan.InputDimensions.Select((dimension, i) => RandomProjectors.Embeddings(50 + i, Batch, dimension)).ToArray();

    internal static double[] Reference(FusionPlan plan, float[][] inputs, int row, IReadOnlyDictionary<string, float>? factors = null)
    {
        var rows = plan.Inputs
            .Select((space, i) => (space, RandomProjectors.Row(inputs[i], row, plan.InputDimensions[i])))
            .ToDictionary(p => p.space, p => p.Item2);
        return ReferenceProjector.Fuse(plan, rows, factors);
    }

    internal static void AssertRow(double[] expected, float[] actual, int row, string what)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            var value = actual[(row * expected.Length) + i];
            Assert.True(
                Math.Abs(value - expected[i]) <= Tolerance,
                $"{what}, element {i}: expected {expected[i]:R}, got {value:R}");
        }
    }

    private static void AssertPlanMatches(FusionPlan plan)
    {
        var inputs = Inputs(plan);
        foreach (var layout in Enum.GetValues<ProjectorLayout>())
        {
            using var runner = FusionRunner.Create(plan, new FusionGraphOptions { Layout = layout }, Cpu);
            var fused = runner.Run(inputs, Batch);

            Assert.Equal(Batch * plan.OutputDimension, fused.Length);
            for (var r = 0; r < Batch; r++)
            {
                AssertRow(Reference(plan, inputs, r), fused, r, $"{layout} row {r}");
            }
        }
    }
}
