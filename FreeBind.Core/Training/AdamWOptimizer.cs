namespace FreeBind.Training;

/// <summary>
/// AdamW as <c>torch.optim.AdamW</c> computes it (PyTorch 1.13, <c>amsgrad=False</c>), with weight
/// decay on the two Linear weights only.
/// </summary>
/// <remarks>
/// For each parameter p with gradient g at update t (counted from 1) and learning rate η:
/// <c>p ← p·(1 − η·λ)</c>; <c>m ← β₁m + (1 − β₁)g</c>; <c>v ← β₂v + (1 − β₂)g²</c>;
/// <c>p ← p − η/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)</c>. Arithmetic is in double per element,
/// stored as float.
/// </remarks>
public static class AdamWOptimizer
{
    /// <summary>Applies one update to <paramref name="state"/> and returns the learning rate it used.</summary>
    /// <exception cref="ArgumentException">The gradients were computed for another architecture.</exception>
    public static double Step(ProjectorTrainingState state, ProjectorGradients gradients, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(options);
        if (gradients.Architecture != state.Weights.Architecture)
        {
            throw new ArgumentException(
                $"gradients are shaped for {gradients.Architecture} but the projector is {state.Weights.Architecture}",
                nameof(gradients));
        }

        AdamWState optimizer = state.Optimizer;
        double learningRate = options.LearningRate * options.Schedule.Factor(optimizer.Step);
        optimizer.Step++;
        long t = optimizer.Step;
        double beta1 = options.Beta1;
        double beta2 = options.Beta2;
        double stepSize = learningRate / (1 - Math.Pow(beta1, t));
        double secondCorrection = Math.Sqrt(1 - Math.Pow(beta2, t));

        Dictionary<string, float[]> gradientByName = gradients.Named().ToDictionary(pair => pair.Name, pair => pair.Values);
        foreach ((string name, float[] parameter) in state.NamedParameters(options.LearnableTemperature))
        {
            float[] gradient = gradientByName[name];
            float[] first = Moment(optimizer.FirstMoment, name, parameter.Length);
            float[] second = Moment(optimizer.SecondMoment, name, parameter.Length);
            double decay = ProjectorParameterNames.Decays(state.Weights.Architecture, name)
                ? 1 - learningRate * options.WeightDecay
                : 1;
            for (int i = 0; i < parameter.Length; i++)
            {
                double g = gradient[i];
                double m = beta1 * first[i] + (1 - beta1) * g;
                double v = beta2 * second[i] + (1 - beta2) * g * g;
                first[i] = (float)m;
                second[i] = (float)v;
                double denominator = Math.Sqrt(v) / secondCorrection + options.AdamEpsilon;
                parameter[i] = (float)(parameter[i] * decay - stepSize * m / denominator);
            }
        }

        return learningRate;
    }

    private static float[] Moment(Dictionary<string, float[]> moments, string name, int length)
    {
        if (!moments.TryGetValue(name, out float[]? values))
        {
            values = new float[length];
            moments[name] = values;
        }
        else if (values.Length != length)
        {
            throw new ArgumentException(
                $"AdamW state for '{name}' has {values.Length} values but the parameter has {length}; the state belongs to another projector");
        }

        return values;
    }
}
