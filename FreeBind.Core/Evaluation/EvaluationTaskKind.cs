namespace FreeBind.Evaluation;

/// <summary>What an evaluation task measures.</summary>
public enum EvaluationTaskKind
{
    /// <summary>Cross-modal retrieval in both directions between two modalities.</summary>
    Retrieval,

    /// <summary>Zero-shot classification of items against class prompts.</summary>
    Classification,
}
