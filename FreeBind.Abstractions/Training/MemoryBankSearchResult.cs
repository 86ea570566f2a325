namespace FreeBind.Training.Pseudo;

/// <summary>
/// Local top-k of one partition for a batch of queries, flattened: query q's neighbours are
/// entries [Offsets[q], Offsets[q + 1]) of <see cref="Scores"/> and <see cref="Ids"/>, and the
/// matching rows of <see cref="Values"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("FreeBind.MemoryBankSearchResult")]
public sealed record MemoryBankSearchResult
{
    /// <summary>Start of each query's neighbours, with one extra entry holding the total.</summary>
    [Id(0)] public required int[] Offsets { get; init; }

    /// <summary>Cosine similarity of each neighbour.</summary>
    [Id(1)] public required float[] Scores { get; init; }

    /// <summary>Corpus id of each neighbour.</summary>
    [Id(2)] public required string[] Ids { get; init; }

    /// <summary>Value-space embedding of each neighbour, row-major.</summary>
    [Id(3)] public required float[] Values { get; init; }

    /// <summary>Length of each value embedding.</summary>
    [Id(4)] public required int ValueDimension { get; init; }
}
