using FreeBind.Hosting;

namespace FreeBind.Tests;

public sealed class GpuDiscoveryTests
{
    [Fact]
    public void Query_output_parses_ids_names_memory()
    {
        var inventory = GpuDiscovery.ParseQueryOutput("0, NVIDIA H200, 143771 MiB\n1, NVIDIA H200, 143771 MiB\n");

        Assert.Equal([0, 1], inventory.Ids);
        Assert.Equal("NVIDIA H200", inventory.Names[1]);
        Assert.Equal(143771, inventory.MemoryMiB[0]);
    }

    [Fact]
    public void Metadata_lists_gpus_and_memory()
    {
        var metadata = GpuDiscovery.ToMetadata(GpuDiscovery.ParseQueryOutput("0, A, 100 MiB\n1, B, 200 MiB"));

        Assert.Equal("true", metadata["gpu"]);
        Assert.Equal("2", metadata["gpu.count"]);
        Assert.Equal("0,1", metadata["gpu.ids"]);
        Assert.Equal("100,200", metadata["gpu.memory"]);
    }

    [Fact]
    public void Cpu_role_offers_no_gpu()
    {
        var inventory = GpuDiscovery.Discover(new FreeBindSiloOptions { Role = "cpu", Gpus = "0,1" });

        Assert.Empty(inventory.Ids);
        Assert.Equal("false", GpuDiscovery.ToMetadata(inventory)["gpu"]);
    }

    [Fact]
    public void Gpus_override_sets_ids()
    {
        var inventory = GpuDiscovery.Discover(new FreeBindSiloOptions { Gpus = "1, 0,1" });

        Assert.Equal([1, 0], inventory.Ids);
        Assert.Equal("2", GpuDiscovery.ToMetadata(inventory)["gpu.count"]);
    }

    [Fact]
    public void Empty_gpus_means_none()
    {
        var inventory = GpuDiscovery.Discover(new FreeBindSiloOptions { Gpus = "" });

        Assert.Empty(inventory.Ids);
    }

    [Fact]
    public void Invalid_gpu_id_is_rejected()
    {
        var exception = Assert.Throws<FormatException>(() => GpuDiscovery.ParseIds("0,x"));

        Assert.Contains("'x'", exception.Message, StringComparison.Ordinal);
    }
}
