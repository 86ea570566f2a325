namespace FreeBind.Training.Pseudo;

/// <summary>
/// A batch of pseudo pairs laid out for training: source and target embeddings as row-major
/// matrices of <see cref="Count"/> rows.
/// </summary>
/// <remarks>The batch owns its arrays; a reader never reuses them for the next batch.</remarks>
public sealed class PseudoPairBatch
{
    /// <summary>Corpus id of each row's query item.</summary>
    public required IReadOnlyList<string> QueryIds { get; init; }

    /// <summary>Modality name (image, text, audio) of each row's query item.</summary>
    public required IReadOnlyList<string> QueryModalities { get; init; }

    /// <summary>Data mode of each row.</summary>
    public required IReadOnlyList<string> DataModes { get; init; }

    /// <summary>Source embeddings, <see cref="Count"/> × <see cref="SourceDimension"/>.</summary>
    public required float[] Source { get; init; }

    /// <summary>Target embeddings, <see cref="Count"/> × <see cref="TargetDimension"/>.</summary>
    public required float[] Target { get; init; }

    /// <summary>Length of each source embedding.</summary>
    public required int SourceDimension { get; init; }

    /// <summary>Length of each target embedding.</summary>
    public required int TargetDimension { get; init; }

    /// <summary>Number of rows.</summary>
    public int Count => QueryIds.Count;

    /// <summary>Returns row <paramref name="row"/> of <see cref="Source"/>.</summary>
    public ReadOnlySpan<float> SourceRow(int row) => Source.AsSpan(row * SourceDimension, SourceDimension);

    /// <summary>Returns row <paramref name="row"/> of <see cref="Target"/>.</summary>
    public ReadOnlySpan<float> TargetRow(int row) => Target.AsSpan(row * TargetDimension, TargetDimension);
}
