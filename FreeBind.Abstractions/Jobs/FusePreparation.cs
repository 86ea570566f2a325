namespace FreeBind.Jobs;

/// <summary>A bond graph compiled on a silo: what a fuse job reads and writes.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.FusePreparation")]
public sealed record FusePreparation
{
    /// <summary>Fused space name.</summary>
    [Id(0)] public string Space { get; init; } = "";

    /// <summary>Profile name written to the rows ("default" when none was given).</summary>
    [Id(1)] public string Profile { get; init; } = "";

    /// <summary>Hash of the bond file, projectors and effective factors.</summary>
    [Id(2)] public string Fingerprint { get; init; } = "";

    /// <summary>Modalities fused.</summary>
    [Id(3)] public IReadOnlyList<string> Modalities { get; init; } = [];

    /// <summary>Input spaces read, by modality.</summary>
    [Id(4)] public IReadOnlyDictionary<string, IReadOnlyList<string>> Inputs { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Folder of the fused files under the output's embeddings/ and fuse/.</summary>
    [Id(5)] public string FolderName { get; init; } = "";
}
