namespace FreeBind.Jobs;

/// <summary>The list of jobs the cluster has started (single activation, key 0).</summary>
[Alias("FreeBind.IJobRegistryGrain")]
public interface IJobRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a job; <paramref name="kind"/> is one of the <see cref="JobKinds"/> names.</summary>
    [Alias("RegisterAsync")]
    Task RegisterAsync(string jobId, string kind = JobKinds.Embed, CancellationToken cancellationToken = default);

    [Alias("ListAsync")]
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Returns the kind a job was registered with, or null for an unknown id.</summary>
    [Alias("GetKindAsync")]
    Task<string?> GetKindAsync(string jobId, CancellationToken cancellationToken = default);
}
