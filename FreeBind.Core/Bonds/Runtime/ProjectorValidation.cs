namespace FreeBind.Bonds.Runtime;

/// <summary>Checks projector weights and fusion plans before a graph is built from them.</summary>
internal static class ProjectorValidation
{
    private static readonly string[] Activations = ["relu", "gelu", "silu", "tanh"];

    /// <summary>Throws <see cref="ArgumentException"/> unless <paramref name="weights"/> matches its architecture.</summary>
    public static void CheckWeights(ProjectorWeights weights, string label)
    {
        var architecture = weights.Architecture;
        if (architecture.InputDimension <= 0 || architecture.HiddenDimension <= 0 || architecture.OutputDimension <= 0)
        {
            throw new ArgumentException(
                $"projector '{label}': dimensions must be positive, got {architecture.InputDimension} → " +
                $"{architecture.HiddenDimension} → {architecture.OutputDimension}.");
        }

        if (!Activations.Contains(architecture.Activation.ToLowerInvariant()))
        {
            throw new ArgumentException(
                $"projector '{label}': activation '{architecture.Activation}' is not supported; " +
                $"use one of {string.Join(", ", Activations)}.");
        }

        var inputs = architecture.InputDimension;
        var hidden = architecture.HiddenDimension;
        var outputs = architecture.OutputDimension;
        CheckLength(label, "Weight1", weights.Weight1, hidden * inputs);
        CheckLength(label, "Bias1", weights.Bias1, hidden);
        CheckLength(label, "Weight2", weights.Weight2, outputs * hidden);
        CheckLength(label, "Bias2", weights.Bias2, outputs);
        if (!architecture.BatchNorm)
        {
            return;
        }

        if (!(architecture.Epsilon >= 0))
        {
            throw new ArgumentException($"projector '{label}': BatchNorm epsilon {architecture.Epsilon} must be zero or positive.");
        }

        CheckLength(label, "Norm1Scale", weights.Norm1Scale, hidden);
        CheckLength(label, "Norm1Shift", weights.Norm1Shift, hidden);
        CheckLength(label, "Norm1RunningMean", weights.Norm1RunningMean, hidden);
        CheckLength(label, "Norm1RunningVariance", weights.Norm1RunningVariance, hidden);
        CheckLength(label, "Norm2Scale", weights.Norm2Scale, outputs);
        CheckLength(label, "Norm2Shift", weights.Norm2Shift, outputs);
        CheckLength(label, "Norm2RunningMean", weights.Norm2RunningMean, outputs);
        CheckLength(label, "Norm2RunningVariance", weights.Norm2RunningVariance, outputs);
    }

    /// <summary>Throws <see cref="ArgumentException"/> when the plan's dimensions, inputs or factors do not fit together.</summary>
    public static void CheckPlan(FusionPlan plan)
    {
        if (plan.Inputs.Count == 0)
        {
            throw new ArgumentException("fusion plan has no inputs; the first input must be the base space.", nameof(plan));
        }

        if (plan.Inputs.Count != plan.InputDimensions.Count)
        {
            throw new ArgumentException(
                $"fusion plan lists {plan.Inputs.Count} inputs but {plan.InputDimensions.Count} input dimensions.", nameof(plan));
        }

        var dimensions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < plan.Inputs.Count; i++)
        {
            if (plan.Inputs[i] == FusionStep.Current || !dimensions.TryAdd(plan.Inputs[i], plan.InputDimensions[i]))
            {
                throw new ArgumentException(
                    $"fusion plan input '{plan.Inputs[i]}' is listed twice or uses the reserved name '{FusionStep.Current}'.",
                    nameof(plan));
            }

            if (plan.InputDimensions[i] <= 0)
            {
                throw new ArgumentException(
                    $"fusion plan input '{plan.Inputs[i]}' has dimension {plan.InputDimensions[i]}; it must be positive.", nameof(plan));
            }
        }

        var current = plan.InputDimensions[0];
        foreach (var step in plan.Steps)
        {
            CheckStep(step, dimensions, current);
            current = step.OutputDimension;
        }

        if (current != plan.OutputDimension)
        {
            throw new ArgumentException(
                $"fusion plan declares output dimension {plan.OutputDimension} but its last step produces {current}.", nameof(plan));
        }
    }

    private static void CheckStep(FusionStep step, Dictionary<string, int> dimensions, int current)
    {
        if (step.Members.Count == 0)
        {
            throw new ArgumentException($"bond '{step.Bond}': step has no projectors.");
        }

        if (!step.FactorFixed && !(step.Factor is >= 0f and <= 1f))
        {
            throw new ArgumentException($"bond '{step.Bond}': factor {step.Factor} is outside [0, 1].");
        }

        if (!step.FactorFixed)
        {
            var keep = InputDimension(step.Keep, dimensions, current, step.Bond, "keeps");
            if (keep != step.OutputDimension)
            {
                throw new ArgumentException(
                    $"bond '{step.Bond}': kept embedding '{step.Keep}' has dimension {keep} but the step outputs {step.OutputDimension}.");
            }
        }

        foreach (var member in step.Members)
        {
            CheckWeights(member.Weights, member.Label);
            var architecture = member.Weights.Architecture;
            var input = InputDimension(member.Input, dimensions, current, step.Bond, $"projector '{member.Label}' reads");
            if (architecture.InputDimension != input || architecture.OutputDimension != step.OutputDimension)
            {
                throw new ArgumentException(
                    $"bond '{step.Bond}': projector '{member.Label}' maps {architecture.InputDimension} → " +
                    $"{architecture.OutputDimension} but reads '{member.Input}' ({input}) and the step outputs {step.OutputDimension}.");
            }
        }
    }

    private static int InputDimension(string name, Dictionary<string, int> dimensions, int current, string bond, string role)
    {
        if (name == FusionStep.Current)
        {
            return current;
        }

        return dimensions.TryGetValue(name, out var dimension)
            ? dimension
            : throw new ArgumentException(
                $"bond '{bond}': {role} '{name}', which is neither '{FusionStep.Current}' nor an input of the plan " +
                $"({string.Join(", ", dimensions.Keys)}).");
    }

    private static void CheckLength(string label, string field, float[]? values, int expected)
    {
        if (values is null || values.Length != expected)
        {
            throw new ArgumentException(
                $"projector '{label}': {field} has {values?.Length.ToString() ?? "no"} values, expected {expected}.");
        }
    }
}
