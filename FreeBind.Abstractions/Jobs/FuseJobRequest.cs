namespace FreeBind.Jobs;

/// <summary>Which bond graph and profile to apply to which embeddings, and where to write the result.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.FuseJobRequest")]
public sealed record FuseJobRequest
{
    /// <summary>Bond file text, shipped whole so every silo parses the same graph.</summary>
    [Id(0)] public required string BondsJson { get; init; }

    /// <summary>Folder that projector paths in the bond file resolve against, on every silo.</summary>
    [Id(1)] public required string BondsBaseDirectory { get; init; }

    /// <summary>Output root of the embedding job whose Parquet is fused (folder or blob URI).</summary>
    [Id(2)] public required string Embeddings { get; init; }

    /// <summary>Output root for the fused Parquet; may equal <see cref="Embeddings"/>.</summary>
    [Id(3)] public required string Output { get; init; }

    /// <summary>Factor profile from the bond file; null uses each bond's default factors.</summary>
    [Id(4)] public string? Profile { get; init; }

    /// <summary>Factor overrides: bond name → modality name → factor.</summary>
    [Id(5)] public IReadOnlyDictionary<string, IReadOnlyDictionary<string, float>> Overrides { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, float>>();

    /// <summary>Modalities to fuse; empty means every modality the fused space covers.</summary>
    [Id(6)] public IReadOnlyList<string> Modalities { get; init; } = [];
}
