namespace FreeBind.Jobs;

/// <summary>The list of jobs the cluster has started (single activation, key 0).</summary>
[Alias("FreeBind.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithIntegerKey
{
    [Alias("RegisterAsync")]
    Task RegisterAsync(string jobId, CancellationToken cancellationToken = default);

    [Alias("ListAsync")]
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);
}
