namespace FreeBind.Training.Pseudo;

/// <summary>Which embedding of a pair is a pseudo embedding built from memory-bank neighbours.</summary>
public enum PseudoSide
{
    /// <summary>Both spaces embed the query's modality: both embeddings are real.</summary>
    None,

    /// <summary>The source space does not embed the query's modality.</summary>
    Source,

    /// <summary>The target space does not embed the query's modality.</summary>
    Target,
}
