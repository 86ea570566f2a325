namespace FreeBind.Bonds.Graph;

/// <summary>
/// Plain C# evaluator of a <see cref="FusionPlan"/> for one item: the semantic reference that
/// faster runtimes are tested against.
/// </summary>
public static class FusionPlanReference
{
    // Same floor as PyTorch's F.normalize, so a zero vector stays zero instead of becoming NaN.
    private const double NormFloor = 1e-12;

    /// <summary>Fuses one item's embeddings by running every step of <paramref name="plan"/>.</summary>
    /// <param name="plan">A compiled plan.</param>
    /// <param name="inputs">The item's embedding in each of <see cref="FusionPlan.Inputs"/>; other entries are ignored.</param>
    /// <param name="project">
    /// Runs one projector on one embedding and returns its L2-normalised output; the evaluator
    /// averages the members' outputs and normalises the mean.
    /// </param>
    /// <returns>
    /// A new array with the fused embedding. With no steps it is a copy of the base embedding,
    /// not normalised again.
    /// </returns>
    /// <exception cref="ArgumentException">An input is missing or has the wrong dimension, or a projector returns the wrong dimension.</exception>
    public static float[] Apply(
        FusionPlan plan,
        IReadOnlyDictionary<string, float[]> inputs,
        Func<ProjectorWeights, float[], float[]> project)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(project);
        for (var index = 0; index < plan.Inputs.Count; index++)
        {
            var name = plan.Inputs[index];
            if (!inputs.TryGetValue(name, out var embedding))
            {
                throw new ArgumentException($"input '{name}' is missing: the plan reads it.", nameof(inputs));
            }

            if (embedding.Length != plan.InputDimensions[index])
            {
                throw new ArgumentException(
                    $"input '{name}' has {embedding.Length} values, expected {plan.InputDimensions[index]}.",
                    nameof(inputs));
            }
        }

        var current = (float[])inputs[plan.Inputs[0]].Clone();
        foreach (var step in plan.Steps)
        {
            current = ApplyStep(step, current, inputs, project);
        }

        return current;
    }

    private static float[] ApplyStep(
        FusionStep step,
        float[] current,
        IReadOnlyDictionary<string, float[]> inputs,
        Func<ProjectorWeights, float[], float[]> project)
    {
        var dimension = step.OutputDimension;
        var mean = new double[dimension];
        foreach (var member in step.Members)
        {
            var input = member.Input == FusionStep.Current ? current : inputs[member.Input];
            var output = project(member.Weights, input);
            if (output.Length != dimension)
            {
                throw new ArgumentException(
                    $"projector '{member.Label}' returned {output.Length} values, expected {dimension}.",
                    nameof(project));
            }

            for (var i = 0; i < dimension; i++)
            {
                mean[i] += output[i];
            }
        }

        var projection = Normalize(mean);
        if (step.FactorFixed)
        {
            // A replacement: the kept embedding is not read, and may have another dimension.
            return Array.ConvertAll(projection, value => (float)value);
        }

        var keep = step.Keep == FusionStep.Current ? current : inputs[step.Keep];
        var factor = (double)step.Factor;
        var mixed = new double[dimension];
        for (var i = 0; i < dimension; i++)
        {
            mixed[i] = ((1 - factor) * keep[i]) + (factor * projection[i]);
        }

        return Array.ConvertAll(Normalize(mixed), value => (float)value);
    }

    private static double[] Normalize(double[] vector)
    {
        var sum = 0.0;
        foreach (var value in vector)
        {
            sum += value * value;
        }

        var norm = Math.Max(Math.Sqrt(sum), NormFloor);
        return Array.ConvertAll(vector, value => value / norm);
    }
}
