namespace FreeBind.Jobs;

/// <summary>Names of the Orleans storage providers the grains use.</summary>
public static class FreeBindStorage
{
    /// <summary>Grain storage provider for job and registry state.</summary>
    public const string StateStorageName = "freebind";
}
