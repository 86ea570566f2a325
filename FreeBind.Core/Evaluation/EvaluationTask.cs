using FreeBind.Media;

namespace FreeBind.Evaluation;

/// <summary>
/// A named evaluation task: <c>retrieval:&lt;a&gt;-&lt;b&gt;</c> (both directions between modalities a
/// and b) or <c>classification:&lt;items&gt;[-&lt;prompts&gt;]</c> (items against class prompts, text by default).
/// </summary>
/// <param name="Kind">Retrieval or classification.</param>
/// <param name="First">Retrieval: the first modality; classification: the items' modality.</param>
/// <param name="Second">Retrieval: the second modality; classification: the prompts' modality.</param>
public sealed record EvaluationTask(EvaluationTaskKind Kind, Modality First, Modality Second)
{
    /// <summary>The task forms <see cref="Parse"/> accepts, for error and help text.</summary>
    public const string AcceptedForms = "retrieval:<a>-<b> (e.g. retrieval:text-audio) or classification:<items>[-<prompts>] (e.g. classification:audio)";

    /// <summary>Canonical name, e.g. <c>retrieval:text-audio</c> or <c>classification:audio-text</c>.</summary>
    public string Name => Kind == EvaluationTaskKind.Retrieval
        ? $"retrieval:{First.ToName()}-{Second.ToName()}"
        : $"classification:{First.ToName()}-{Second.ToName()}";

    /// <summary>Metric that stands for the task in a balanced objective: mean R@1 for retrieval, mAP for classification.</summary>
    public string PrimaryMetric => Kind == EvaluationTaskKind.Retrieval ? "R@1" : "mAP";

    /// <summary>Parses a task name.</summary>
    /// <exception cref="FormatException">The name matches neither form or names an unknown modality.</exception>
    public static EvaluationTask Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Trim().Split(':', 2);
        if (parts.Length != 2)
        {
            throw new FormatException($"evaluation task '{text}' is invalid: use {AcceptedForms}.");
        }

        var modalities = parts[1].Split('-');
        try
        {
            switch (parts[0].ToLowerInvariant())
            {
                case "retrieval" when modalities.Length == 2 && modalities[0] != modalities[1]:
                    return new EvaluationTask(
                        EvaluationTaskKind.Retrieval, ModalityNames.Parse(modalities[0]), ModalityNames.Parse(modalities[1]));
                case "classification" when modalities.Length is 1 or 2:
                    var prompts = modalities.Length == 2 ? ModalityNames.Parse(modalities[1]) : Modality.Text;
                    return new EvaluationTask(EvaluationTaskKind.Classification, ModalityNames.Parse(modalities[0]), prompts);
            }
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException)
        {
            throw new FormatException($"evaluation task '{text}': {exception.Message}", exception);
        }

        throw new FormatException($"evaluation task '{text}' is invalid: use {AcceptedForms}.");
    }
}
