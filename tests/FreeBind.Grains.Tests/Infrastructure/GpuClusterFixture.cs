namespace FreeBind.Tests.Infrastructure;

/// <summary>Two silos, only the primary tagged as a GPU silo.</summary>
public sealed class GpuClusterFixture : ClusterFixture
{
    /// <inheritdoc />
    protected override string GpuSilos => "Primary";
}
