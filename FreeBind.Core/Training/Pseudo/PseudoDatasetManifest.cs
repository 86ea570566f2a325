using System.Text.Json;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// The manifest of one data mode's pseudo dataset, written as <c>manifest.json</c> next to its
/// part files after the last part.
/// </summary>
public sealed record PseudoDatasetManifest
{
    /// <summary>JSON settings of the manifest file: snake_case names, indented.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    /// <summary>Bond name.</summary>
    public required string Bond { get; init; }

    /// <summary>Bond kind: combination or displacement.</summary>
    public required string Kind { get; init; }

    /// <summary>Unified (running) space of the bond.</summary>
    public required string UnifiedSpace { get; init; }

    /// <summary>Expert space of the bond.</summary>
    public required string ExpertSpace { get; init; }

    /// <summary>Space of the source embeddings (the projector's input).</summary>
    public required string SourceSpace { get; init; }

    /// <summary>Space of the target embeddings (the projector's expected output).</summary>
    public required string TargetSpace { get; init; }

    /// <summary>Length of each source embedding.</summary>
    public required int SourceDimension { get; init; }

    /// <summary>Length of each target embedding.</summary>
    public required int TargetDimension { get; init; }

    /// <summary>Data mode: mix, A, T, V, AT, AV or TV.</summary>
    public required string DataMode { get; init; }

    /// <summary>Neighbours per pseudo embedding.</summary>
    public required int K { get; init; }

    /// <summary>Softmax temperature over neighbour similarities.</summary>
    public required float Temperature { get; init; }

    /// <summary>Standard deviation of the noise added to source embeddings.</summary>
    public required float Noise { get; init; }

    /// <summary>Seed of the noise and the mix sampling.</summary>
    public required int Seed { get; init; }

    /// <summary>Memory bank modality.</summary>
    public required string BankModality { get; init; }

    /// <summary>Bank rows per retrieval space, before items without a counterpart were dropped.</summary>
    public required IReadOnlyDictionary<string, long> BankRows { get; init; }

    /// <summary>Rows written.</summary>
    public required long Rows { get; init; }

    /// <summary>Rows written by query modality name.</summary>
    public required IReadOnlyDictionary<string, long> RowsByModality { get; init; }

    /// <summary>Rows whose source or target is a pseudo embedding.</summary>
    public required long PseudoRows { get; init; }

    /// <summary>Part file names in row order, relative to the dataset's folder.</summary>
    public required IReadOnlyList<string> Parts { get; init; }

    /// <summary>Version of the FreeBind build that wrote the dataset.</summary>
    public required string FreeBindVersion { get; init; }
}
