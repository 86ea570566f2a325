namespace FreeBind.Jobs;

/// <summary>Fuses shards on the silo it lives on, reading and writing storage directly.</summary>
[Alias("FreeBind.IFuseWorkerGrain")]
public interface IFuseWorkerGrain : IGrainWithStringKey
{
    /// <summary>Compiles the bond graph for the request and returns the fused modalities and the fingerprint.</summary>
    [Alias("PrepareAsync")]
    Task<FusePreparation> PrepareAsync(FuseJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Fuses one shard.</summary>
    [Alias("FuseShardAsync")]
    Task<ShardResult> FuseShardAsync(FuseJobRequest request, int shard, CancellationToken cancellationToken = default);
}
