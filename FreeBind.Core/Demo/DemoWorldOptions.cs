namespace FreeBind.Demo;

/// <summary>Size and seed of a generated demo world.</summary>
/// <remarks>
/// The defaults make a world small enough for CI: 24 concepts, 4 unpaired items per concept and
/// modality (288 files) and 4 paired evaluation items per concept (96 entries of an image, a
/// caption and a recording). The same options always give the same bytes.
/// </remarks>
public sealed class DemoWorldOptions
{
    /// <summary>Default <see cref="Seed"/>.</summary>
    public const int DefaultSeed = 1;

    /// <summary>Default <see cref="Concepts"/>.</summary>
    public const int DefaultConcepts = 24;

    /// <summary>Default <see cref="ItemsPerConcept"/>.</summary>
    public const int DefaultItemsPerConcept = 4;

    /// <summary>Default <see cref="EvalPairsPerConcept"/>.</summary>
    public const int DefaultEvalPairsPerConcept = 4;

    /// <summary>Largest <see cref="Concepts"/>: the number of distinct four-word concept names.</summary>
    public const int MaxConcepts = 4096;

    /// <summary>Default <see cref="CalibrationItems"/>.</summary>
    public const int DefaultCalibrationItems = 160;

    /// <summary>Largest <see cref="ItemsPerConcept"/> and <see cref="EvalPairsPerConcept"/>.</summary>
    public const int MaxItemsPerConcept = 10_000;

    /// <summary>Seed of every random draw: concepts, encoder weights and item noise. Default 1.</summary>
    public int Seed { get; set; } = DefaultSeed;

    /// <summary>Number of concepts, 2 to <see cref="MaxConcepts"/>. Default 24.</summary>
    public int Concepts { get; set; } = DefaultConcepts;

    /// <summary>Unpaired items per concept and modality (an image, a caption and a recording each), 0 or more. Default 4.</summary>
    public int ItemsPerConcept { get; set; } = DefaultItemsPerConcept;

    /// <summary>Paired evaluation entries per concept (image, caption and recording of one stem), 1 or more. Default 4.</summary>
    public int EvalPairsPerConcept { get; set; } = DefaultEvalPairsPerConcept;

    /// <summary>
    /// Calibration items per modality on which the encoders' latent read-outs are fitted, 32 to
    /// 4096. Default 160. Fewer make generation faster and the image and audio encoders noisier.
    /// </summary>
    public int CalibrationItems { get; set; } = DefaultCalibrationItems;

    /// <summary>Checks the values and returns one message per problem.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Concepts is < 2 or > MaxConcepts)
        {
            problems.Add($"demo world: Concepts {Concepts} is out of range: use 2 to {MaxConcepts}");
        }

        if (ItemsPerConcept is < 0 or > MaxItemsPerConcept)
        {
            problems.Add($"demo world: ItemsPerConcept {ItemsPerConcept} is out of range: use 0 to {MaxItemsPerConcept}");
        }

        if (EvalPairsPerConcept is < 1 or > MaxItemsPerConcept)
        {
            problems.Add($"demo world: EvalPairsPerConcept {EvalPairsPerConcept} is out of range: use 1 to {MaxItemsPerConcept}");
        }

        if (CalibrationItems is < 32 or > 4096)
        {
            problems.Add($"demo world: CalibrationItems {CalibrationItems} is out of range: use 32 to 4096");
        }

        return problems;
    }
}
