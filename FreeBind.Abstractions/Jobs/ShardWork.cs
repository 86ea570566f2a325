namespace FreeBind.Jobs;

/// <summary>One shard for an encoder grain to embed and write.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.ShardWork")]
public sealed record ShardWork
{
    [Id(0)] public required string JobId { get; init; }

    [Id(1)] public required string Fingerprint { get; init; }

    [Id(2)] public required EmbeddingJobRequest Request { get; init; }

    /// <summary>Encoders to run, as "space/modality".</summary>
    [Id(3)] public required IReadOnlyList<string> Encoders { get; init; }

    /// <summary>The shard's entries as JSON (a FreeBind.Corpus.CorpusShard), opaque to clients.</summary>
    [Id(4)] public required string ShardJson { get; init; }

    [Id(5)] public required int ShardIndex { get; init; }
}
