namespace FreeBind.Jobs;

/// <summary>What an encoder grain wrote for one shard.</summary>
[GenerateSerializer, Immutable, Alias("FreeBind.ShardResult")]
public sealed record ShardResult
{
    [Id(0)] public int ShardIndex { get; init; }

    [Id(1)] public int Entries { get; init; }

    [Id(2)] public long Embeddings { get; init; }

    [Id(3)] public IReadOnlyDictionary<string, long> ErrorsByStage { get; init; } = new Dictionary<string, long>();

    [Id(4)] public IReadOnlyDictionary<string, long> Warnings { get; init; } = new Dictionary<string, long>();

    [Id(5)] public bool Skipped { get; init; }

    /// <summary>Silo that embedded the shard.</summary>
    [Id(6)] public string Silo { get; init; } = "";

    [Id(7)] public double InferenceSeconds { get; init; }
}
