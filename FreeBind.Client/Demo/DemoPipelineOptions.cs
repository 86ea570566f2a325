using FreeBind.Demo;

namespace FreeBind.Client.Demo;

/// <summary>Settings of <see cref="DemoPipeline"/>: the world's size and the training settings sized for it.</summary>
internal sealed class DemoPipelineOptions
{
    /// <summary>Default unpaired items per concept and modality: enough pseudo pairs to train 256-wide projectors.</summary>
    public const int DefaultItemsPerConcept = 16;

    /// <summary>Folder for the world, the embeddings, the projectors and the report. Default <c>out/demo</c>.</summary>
    public string Output { get; set; } = Path.Combine("out", "demo");

    /// <summary>Seed of the world and of training. Default 1.</summary>
    public int Seed { get; set; } = DemoWorldOptions.DefaultSeed;

    /// <summary>Concepts in the world. Default 24.</summary>
    public int Concepts { get; set; } = DemoWorldOptions.DefaultConcepts;

    /// <summary>Unpaired training items per concept and modality. Default <see cref="DefaultItemsPerConcept"/>.</summary>
    public int ItemsPerConcept { get; set; } = DefaultItemsPerConcept;

    /// <summary>Paired evaluation entries per concept. Default 4.</summary>
    public int EvalPairsPerConcept { get; set; } = DemoWorldOptions.DefaultEvalPairsPerConcept;

    /// <summary>Worker grains per projector during training, and sweep workers. Default 2.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Hidden width of every projector. Default 256 (FreeBind's own default is 2048).</summary>
    public int HiddenDimension { get; set; } = 256;

    // NOTE: 30 epochs were checked at 12 concepts with 8 items, and at 24 concepts with 16 and 160
    // items: the bonded space beat the base and the audio-text expert at each. Other sizes are untested.
    /// <summary>Passes over each pseudo dataset. Default 30.</summary>
    public int Epochs { get; set; } = 30;

    /// <summary>Global batch size. Default 64.</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>AdamW learning rate. Default 2e-3.</summary>
    public double LearningRate { get; set; } = 2e-3;

    /// <summary>Returns the world options these settings describe.</summary>
    public DemoWorldOptions WorldOptions() => new()
    {
        Seed = Seed,
        Concepts = Concepts,
        ItemsPerConcept = ItemsPerConcept,
        EvalPairsPerConcept = EvalPairsPerConcept,
    };
}
