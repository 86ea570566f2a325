namespace FreeBind.Jobs;

/// <summary>
/// Embeds shards on the silo it lives on: reads the shard's inputs, runs the encoders and
/// writes the Parquet files straight to storage. Placed on GPU silos when the cluster has any.
/// </summary>
[Alias("FreeBind.IEncoderGrain")]
public interface IEncoderGrain : IGrainWithStringKey
{
    /// <summary>Loads the encoders, checks them against their models and returns their fingerprints.</summary>
    [Alias("PrepareAsync")]
    Task<IReadOnlyList<EncoderInfo>> PrepareAsync(
        EmbeddingJobRequest request, IReadOnlyList<string> encoders, CancellationToken cancellationToken = default);

    /// <summary>Embeds one shard and writes its outputs.</summary>
    [Alias("EmbedShardAsync")]
    Task<ShardResult> EmbedShardAsync(ShardWork work, CancellationToken cancellationToken = default);

    /// <summary>Returns the silo this activation runs on, for placement checks.</summary>
    [Alias("GetSiloAsync")]
    Task<string> GetSiloAsync(CancellationToken cancellationToken = default);
}
