namespace FreeBind.Jobs;

/// <summary>An encoder as loaded on a silo.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.EncoderInfo")]
public sealed record EncoderInfo
{
    /// <summary>"space/modality".</summary>
    [Id(0)] public string Label { get; init; } = "";

    /// <summary>Hash of the model bytes and the encoder declaration.</summary>
    [Id(1)] public string Fingerprint { get; init; } = "";

    /// <summary>CUDA:n or CPU.</summary>
    [Id(2)] public string Provider { get; init; } = "";
}
