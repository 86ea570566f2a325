namespace FreeBind.Jobs;

/// <summary>Coordinates one fuse job: lists the embedding shards and hands each to a fuse worker.</summary>
[Alias("FreeBind.IFuseJobGrain")]
public interface IFuseJobGrain : IGrainWithStringKey
{
    /// <summary>Checks the bond graph, then fuses in the background; the status reuses the embedding job's fields.</summary>
    [Alias("StartAsync")]
    Task<EmbeddingJobStatus> StartAsync(FuseJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the job's current progress.</summary>
    [Alias("GetStatusAsync")]
    Task<EmbeddingJobStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
