using FreeBind.Jobs;
using FreeBind.Tests.Infrastructure;

namespace FreeBind.Tests;

public sealed class GpuPlacementTests(GpuClusterFixture fixture) : IClassFixture<GpuClusterFixture>
{
    [Fact]
    public async Task EncoderGrains_LandOnlyOnGpuSilo()
    {
        var primary = fixture.Cluster.Primary!.SiloAddress.ToString();

        var silos = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            silos.Add(await fixture.Cluster.Client.GetGrain<IEncoderGrain>($"placement/{i}").GetSiloAsync());
        }

        Assert.Equal([primary], silos);
    }
}

public sealed class CpuPlacementTests(CpuClusterFixture fixture) : IClassFixture<CpuClusterFixture>
{
    [Fact]
    public async Task EncoderGrains_UseCpuSilosWhenNoneHasGpu()
    {
        var all = fixture.Cluster.Silos.Select(s => s.SiloAddress.ToString()).ToHashSet();

        var silos = new HashSet<string>();
        for (var i = 0; i < 24; i++)
        {
            silos.Add(await fixture.Cluster.Client.GetGrain<IEncoderGrain>($"placement/{i}").GetSiloAsync());
        }

        Assert.True(silos.IsSubsetOf(all));
        Assert.Equal(2, silos.Count);
    }
}
