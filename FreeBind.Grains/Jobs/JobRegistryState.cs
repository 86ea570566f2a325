namespace FreeBind.Jobs;

/// <summary>Persistent state of <see cref="JobRegistryGrain"/>.</summary>
[GenerateSerializer, Alias("FreeBind.JobRegistryState")]
public sealed class JobRegistryState
{
    /// <summary>Job ids in start order.</summary>
    [Id(0)] public List<string> JobIds { get; set; } = [];
}
