using FreeBind.Bonds;

namespace FreeBind.Training;

/// <summary>
/// Gradients of the loss with respect to every trained parameter of a projector, in the layout of
/// <see cref="ProjectorWeights"/> (BatchNorm arrays are null without BatchNorm).
/// </summary>
public sealed class ProjectorGradients
{
    /// <summary>Creates zero gradients for <paramref name="architecture"/>.</summary>
    public ProjectorGradients(ProjectorArchitecture architecture)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        Architecture = architecture;
        int input = architecture.InputDimension;
        int hidden = architecture.HiddenDimension;
        int output = architecture.OutputDimension;
        Weight1 = new float[hidden * input];
        Bias1 = new float[hidden];
        Weight2 = new float[output * hidden];
        Bias2 = new float[output];
        if (architecture.BatchNorm)
        {
            Norm1Scale = new float[hidden];
            Norm1Shift = new float[hidden];
            Norm2Scale = new float[output];
            Norm2Shift = new float[output];
        }
    }

    /// <summary>Architecture the arrays are shaped for.</summary>
    public ProjectorArchitecture Architecture { get; }

    /// <summary>∂L/∂W₁, [hidden, in].</summary>
    public float[] Weight1 { get; }

    /// <summary>∂L/∂b₁, [hidden]; zero with BatchNorm.</summary>
    public float[] Bias1 { get; }

    /// <summary>∂L/∂γ₁, [hidden]; null without BatchNorm.</summary>
    public float[]? Norm1Scale { get; }

    /// <summary>∂L/∂β₁, [hidden]; null without BatchNorm.</summary>
    public float[]? Norm1Shift { get; }

    /// <summary>∂L/∂W₂, [out, hidden].</summary>
    public float[] Weight2 { get; }

    /// <summary>∂L/∂b₂, [out]; zero with BatchNorm.</summary>
    public float[] Bias2 { get; }

    /// <summary>∂L/∂γ₂, [out]; null without BatchNorm.</summary>
    public float[]? Norm2Scale { get; }

    /// <summary>∂L/∂β₂, [out]; null without BatchNorm.</summary>
    public float[]? Norm2Shift { get; }

    /// <summary>∂L/∂(log scale), one value; zero unless the temperature is learnable.</summary>
    public float[] LogScale { get; } = new float[1];

    /// <summary>Returns the L2 norm of all gradients together, as <c>clip_grad_norm_</c> measures it.</summary>
    public double GlobalNorm()
    {
        double sum = 0;
        foreach ((string _, float[] values) in Named())
        {
            sum += TrainingKernels.SumOfSquares(values);
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Multiplies every gradient by <paramref name="factor"/>.</summary>
    public void Scale(float factor)
    {
        foreach ((string _, float[] values) in Named())
        {
            System.Numerics.Tensors.TensorPrimitives.Multiply(values, factor, values);
        }
    }

    /// <summary>Returns the gradient arrays named as the parameters of a PyTorch state_dict, then "log_scale".</summary>
    public IEnumerable<(string Name, float[] Values)> Named()
    {
        foreach ((string name, float[] values) in ProjectorParameterNames.Pair(
            Architecture, Weight1, Bias1, Norm1Scale, Norm1Shift, Weight2, Bias2, Norm2Scale, Norm2Shift))
        {
            yield return (name, values);
        }

        yield return (ProjectorParameterNames.LogScale, LogScale);
    }
}
