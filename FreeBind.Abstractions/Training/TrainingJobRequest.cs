namespace FreeBind.Training;

/// <summary>
/// What <c>freebind train</c> asks the cluster for: train one projector per data mode of a bond
/// from its pseudo datasets, synchronously data-parallel over <see cref="Workers"/> worker grains.
/// </summary>
/// <remarks>Defaults are the documented ones of docs/training.md.</remarks>
[GenerateSerializer, Immutable, Alias("FreeBind.TrainingJobRequest")]
public sealed record TrainingJobRequest
{
    /// <summary>Output root of a <c>freebind pseudo</c> job (folder or blob URI).</summary>
    [Id(0)] public required string Data { get; init; }

    /// <summary>Bond name; its pseudo datasets are under <c>pseudo/&lt;bond&gt;/</c>.</summary>
    [Id(1)] public required string Bond { get; init; }

    /// <summary>Expert of a parallel bond, or null.</summary>
    [Id(2)] public string? Expert { get; init; }

    /// <summary>Output root: projectors, checkpoints and metrics go under <c>training/&lt;bond&gt;/</c>.</summary>
    [Id(3)] public required string Output { get; init; }

    /// <summary>Data modes to train, one projector each (mix, A, T, V, AT, AV, TV).</summary>
    [Id(4)] public required IReadOnlyList<string> Modes { get; init; }

    /// <summary>Worker grains per projector. Default 2.</summary>
    [Id(5)] public int Workers { get; init; } = 2;

    /// <summary>Passes over the training split. Default 10.</summary>
    [Id(6)] public int Epochs { get; init; } = 10;

    /// <summary>Global batch size, split over the workers. Default 256.</summary>
    [Id(7)] public int BatchSize { get; init; } = 256;

    /// <summary>AdamW learning rate. Default 1e-3.</summary>
    [Id(8)] public double LearningRate { get; init; } = 1e-3;

    /// <summary>InfoNCE temperature τ. Default 0.07.</summary>
    [Id(9)] public double Temperature { get; init; } = 0.07;

    /// <summary>Learn the temperature (as a log logit scale). Default false.</summary>
    [Id(10)] public bool LearnableTemperature { get; init; }

    /// <summary>Weight λ of the squared-distance term. Default 0.</summary>
    [Id(11)] public double MseWeight { get; init; }

    /// <summary>AdamW decoupled weight decay of the Linear weights. Default 0.01.</summary>
    [Id(12)] public double WeightDecay { get; init; } = 0.01;

    /// <summary>Gradient clipping by global L2 norm; 0 turns it off. Default 1.0.</summary>
    [Id(13)] public double ClipNorm { get; init; } = 1.0;

    /// <summary>constant or cosine (after warm-up). Default cosine.</summary>
    [Id(14)] public string Schedule { get; init; } = "cosine";

    /// <summary>Linear warm-up steps. Default 0.</summary>
    [Id(15)] public int WarmupSteps { get; init; }

    /// <summary>Hidden width of each projector. Default 2048, as FreeBind's.</summary>
    [Id(16)] public int HiddenDimension { get; init; } = 2048;

    /// <summary>relu (default), gelu, silu or tanh.</summary>
    [Id(17)] public string Activation { get; init; } = "relu";

    /// <summary>Seed of the initial weights, the validation split and the batch order. Default 0.</summary>
    [Id(18)] public int Seed { get; init; }

    /// <summary>Steps between checkpoints; the last step, and an early stop, also checkpoint. Default 50.</summary>
    [Id(19)] public int CheckpointEvery { get; init; } = 50;

    /// <summary>Share of each pseudo dataset held out for validation, in [0, 0.5]. Default 0.1.</summary>
    [Id(20)] public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Epochs without a better validation recall before training stops; 0 never stops early. Default 3.</summary>
    [Id(21)] public int Patience { get; init; } = 3;

    /// <summary>
    /// Maximum time a training step, or the loading of replacement workers, may take before the
    /// workers are replaced. Default 5 minutes.
    /// </summary>
    [Id(22)] public TimeSpan StepTimeout { get; init; } = TimeSpan.FromMinutes(5);
}
