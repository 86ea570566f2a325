namespace FreeBind.Training;

/// <summary>
/// Loss, optimiser and clipping settings of projector training. Defaults follow CLIP-style
/// contrastive training of a projector head.
/// </summary>
/// <remarks>
/// Loss: <c>(CE(s·Z·Tᵀ, I) + CE(s·T·Zᵀ, I)) / 2 + MseWeight · mean_i ‖z_i − t_i‖²</c> with
/// <c>s = 1 / Temperature</c>. AdamW follows <c>torch.optim.AdamW</c> (PyTorch 1.13) with two
/// groups: the two Linear weights decay, while biases, BatchNorm scale and shift and the log-scale
/// do not. Clipping follows <c>torch.nn.utils.clip_grad_norm_</c> over every trained parameter,
/// including the log-scale when it is learnable.
/// </remarks>
public sealed record TrainingOptions
{
    /// <summary>Softmax temperature τ of the contrastive loss; the logit scale is 1/τ. Default 0.07.</summary>
    public double Temperature { get; init; } = 0.07;

    /// <summary>
    /// When true, the log of the logit scale is a trained parameter that starts at <c>log(1/Temperature)</c>,
    /// as in CLIP. Default false.
    /// </summary>
    public bool LearnableTemperature { get; init; }

    /// <summary>Upper clamp of a learnable logit scale (CLIP uses 100); its gradient is zero while clamped. Default 100.</summary>
    public double MaximumScale { get; init; } = 100;

    /// <summary>Weight λ of the mean squared distance between outputs and targets; 0 (the default) turns it off.</summary>
    public double MseWeight { get; init; }

    /// <summary>Base learning rate of AdamW, before the schedule. Default 1e-4.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>AdamW β₁. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β₂. Default 0.999.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW ε, added to the bias-corrected root of the second moment. Default 1e-8.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Decoupled weight decay of the two Linear weights (other parameters have none). Default 0.01.</summary>
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Maximum global L2 norm of the gradient; 0 turns clipping off. Default 1.0.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Momentum of the BatchNorm running statistics, as in PyTorch. Default 0.1.</summary>
    public double BatchNormMomentum { get; init; } = 0.1;

    /// <summary>Learning-rate schedule; constant without warm-up by default.</summary>
    public LearningRateSchedule Schedule { get; init; } = new();

    /// <summary>Checks every field.</summary>
    /// <exception cref="ArgumentException">A field is out of its range; the message names it.</exception>
    public void Validate()
    {
        Require(Temperature > 0 && double.IsFinite(Temperature), nameof(Temperature), Temperature, "a positive number");
        Require(MaximumScale > 0, nameof(MaximumScale), MaximumScale, "a positive number");
        Require(MseWeight >= 0 && double.IsFinite(MseWeight), nameof(MseWeight), MseWeight, "0 or more");
        Require(LearningRate >= 0 && double.IsFinite(LearningRate), nameof(LearningRate), LearningRate, "0 or more");
        Require(Beta1 is >= 0 and < 1, nameof(Beta1), Beta1, "a value in [0, 1)");
        Require(Beta2 is >= 0 and < 1, nameof(Beta2), Beta2, "a value in [0, 1)");
        Require(AdamEpsilon > 0, nameof(AdamEpsilon), AdamEpsilon, "a positive number");
        Require(WeightDecay >= 0 && double.IsFinite(WeightDecay), nameof(WeightDecay), WeightDecay, "0 or more");
        Require(ClipNorm >= 0 && double.IsFinite(ClipNorm), nameof(ClipNorm), ClipNorm, "0 (off) or a positive norm");
        Require(BatchNormMomentum is >= 0 and <= 1, nameof(BatchNormMomentum), BatchNormMomentum, "a value in [0, 1]");
        ArgumentNullException.ThrowIfNull(Schedule);
        Schedule.Validate();
    }

    private static void Require(bool valid, string name, double value, string expected)
    {
        if (!valid)
        {
            throw new ArgumentException($"training option {name} = {value} is invalid; use {expected}", name);
        }
    }
}
