namespace FreeBind.Jobs;

/// <summary>Persistent state of <see cref="JobRegistryGrain"/>.</summary>
[GenerateSerializer, Alias("FreeBind.JobRegistryState")]
public sealed class JobRegistryState
{
    /// <summary>Job ids in start order.</summary>
    [Id(0)] public List<string> JobIds { get; set; } = [];

    /// <summary>Kind of each job (<see cref="JobKinds"/>); registries written before kinds existed lack entries, which read as embed jobs.</summary>
    [Id(1)] public Dictionary<string, string> Kinds { get; set; } = [];
}
