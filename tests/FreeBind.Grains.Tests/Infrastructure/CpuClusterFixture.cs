namespace FreeBind.Tests.Infrastructure;

/// <summary>Two silos, none tagged as a GPU silo.</summary>
public sealed class CpuClusterFixture : ClusterFixture
{
    /// <inheritdoc />
    protected override string GpuSilos => "";
}
