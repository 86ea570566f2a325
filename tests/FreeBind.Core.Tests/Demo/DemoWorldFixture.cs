using FreeBind.Demo;

namespace FreeBind.Tests.Demo;

/// <summary>One default-size demo world, generated once for every test of the class.</summary>
public sealed class DemoWorldFixture : IDisposable
{
    public DemoWorldFixture()
    {
        Root = Directory.CreateTempSubdirectory("freebind-demo-").FullName;
        Summary = DemoWorldGenerator.Generate(Path.Combine(Root, "world"), new DemoWorldOptions());
    }

    /// <summary>Temporary folder that holds the world and anything a test adds beside it.</summary>
    public string Root { get; }

    public DemoWorldSummary Summary { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
