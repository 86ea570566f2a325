using FreeBind.Bonds;
using FreeBind.Bonds.Runtime;

using static FreeBind.Tests.Bonds.Runtime.FusionGraphBuilderTests;

namespace FreeBind.Tests.Bonds.Runtime;

public sealed class FusionRunnerTests
{
    private static readonly FusionStep Combination = new("c(expert-a)", FusionStep.Current, 0.3f, false,
        [Member("expert-a", 1, 12, 8), Member("expert-a", 2, 12, 8, "gelu")], 8);

    [Fact]
    public void FactorZero_ReturnsNormalisedKeep()
    {
        var plan = Plan(8, Combination with { Factor = 0f });
        var inputs = Inputs(plan);

        // The keep embedding is scaled, so the output only matches it after normalisation.
        var keep = inputs[0].Select(v => v * 3f).ToArray();
        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);
        var fused = runner.Run([keep, inputs[1], inputs[2]], Batch);

        for (var r = 0; r < Batch; r++)
        {
            AssertRow(ReferenceProjector.Normalize(RandomProjectors.Row(keep, r, 8)), fused, r, $"row {r}");
        }
    }

    [Fact]
    public void FactorOne_ReturnsProjection()
    {
        var plan = Plan(8, Combination with { Factor = 1f });
        var inputs = Inputs(plan);

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);
        var fused = runner.Run(inputs, Batch);

        for (var r = 0; r < Batch; r++)
        {
            var expert = RandomProjectors.Row(inputs[1], r, 12);
            var projection = ReferenceProjector.Ensemble(Combination.Members.Select(m => (m.Weights, expert)));
            AssertRow(projection, fused, r, $"row {r}");
        }
    }

    [Fact]
    public void FactorOverride_ReplacesDefault()
    {
        var plan = TwoStepPlan();
        var inputs = Inputs(plan);
        var overrides = new Dictionary<string, float> { ["d(expert-a)"] = 0.15f, ["c(expert.b)"] = 0.9f };

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);
        var fused = runner.Run(inputs, Batch, overrides);
        var defaults = runner.Run(inputs, Batch);

        for (var r = 0; r < Batch; r++)
        {
            AssertRow(Reference(plan, inputs, r, overrides), fused, r, $"overridden row {r}");
            AssertRow(Reference(plan, inputs, r), defaults, r, $"default row {r}");
        }

        Assert.NotEqual(defaults, fused);
    }

    [Fact]
    public void OmittedFactor_UsesPlanDefault()
    {
        var plan = TwoStepPlan();
        var inputs = Inputs(plan);
        var partial = new Dictionary<string, float> { ["c(expert.b)"] = 0.9f };
        var explicitDefault = new Dictionary<string, float> { ["d(expert-a)"] = 0.7f, ["c(expert.b)"] = 0.9f };

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);
        var omitted = runner.Run(inputs, Batch, partial);
        var explicitValues = runner.Run(inputs, Batch, explicitDefault);

        Assert.Equal(explicitValues, omitted);
    }

    [Fact]
    public void ConstantFactors_MatchReferenceAndRejectOverride()
    {
        var plan = TwoStepPlan();
        var inputs = Inputs(plan);

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions { FactorInputs = false }, Cpu);
        var fused = runner.Run(inputs, Batch);

        for (var r = 0; r < Batch; r++)
        {
            AssertRow(Reference(plan, inputs, r), fused, r, $"row {r}");
        }

        var exception = Assert.Throws<ArgumentException>(
            () => runner.Run(inputs, Batch, new Dictionary<string, float> { ["c(expert.b)"] = 0.5f }));
        Assert.Contains("without factor inputs", exception.Message);
    }

    [Fact]
    public void FixedFactorOverride_Throws()
    {
        var step = new FusionStep("d(expert.b)", FusionStep.Current, 1f, true, [Member(FusionStep.Current, 4, 8, 6)], 6);
        var plan = Plan(6, step);

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);

        var exception = Assert.Throws<ArgumentException>(
            () => runner.Run(Inputs(plan), Batch, new Dictionary<string, float> { ["d(expert.b)"] = 0.5f }));
        Assert.Contains("fixed", exception.Message);
    }

    [Theory]
    [InlineData("c(expert-a)", 1.5f, "outside [0, 1]")]
    [InlineData("c(other)", 0.5f, "not a bond of the plan")]
    public void InvalidOverride_Throws(string bond, float factor, string message)
    {
        var plan = Plan(8, Combination);

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);

        var exception = Assert.Throws<ArgumentException>(
            () => runner.Run(Inputs(plan), Batch, new Dictionary<string, float> { [bond] = factor }));
        Assert.Contains(message, exception.Message);
    }

    [Fact]
    public void WrongInputLength_Throws()
    {
        var plan = Plan(8, Combination);
        var inputs = Inputs(plan);

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);

        var exception = Assert.Throws<ArgumentException>(() => runner.Run([inputs[0], inputs[2], inputs[2]], Batch));
        Assert.Contains("'expert_a' has 30 values, expected 60", exception.Message);
    }

    [Fact]
    public async Task ConcurrentRuns_MatchSequentialRun()
    {
        var plan = TwoStepPlan();
        var inputs = Inputs(plan);
        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), Cpu);
        var expected = runner.Run(inputs, Batch);

        var runs = Enumerable.Range(0, 8)
            .Select(i => Task.Run(() => runner.Run(inputs, Batch, i % 2 == 0 ? null : new Dictionary<string, float>())))
            .ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

        foreach (var result in results)
        {
            Assert.Equal(expected, result);
        }
    }
}
