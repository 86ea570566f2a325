using System.Text;

using FreeBind.Text;

namespace FreeBind.Tests.Text;

public sealed class ManagedResourceReaderTests
{
    [Fact]
    public void ReadResource_EqualsLoadedAssemblyStreams()
    {
        // Every loaded assembly file that embeds resources: CoreLib, xunit and others.
        var assemblies = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.Location.Length > 0 && a.GetManifestResourceNames().Length > 0)
            .ToList();
        Assert.NotEmpty(assemblies);

        foreach (var assembly in assemblies)
        {
            var names = assembly.GetManifestResourceNames();
            Assert.Equal(names.Order(), ManagedResourceReader.ListResources(assembly.Location).Order());
            foreach (var name in names)
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var expected = new MemoryStream();
                stream.CopyTo(expected);

                Assert.Equal(expected.ToArray(), ManagedResourceReader.ReadResource(assembly.Location, name));
            }
        }
    }

    [Fact]
    public void ReadResource_MiniLmVocabIsBertUncased()
    {
        var bytes = ManagedResourceReader.ReadResource(TextFixtures.MiniLmDllPath, TextFixtures.MiniLmVocabResource);
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(30522, lines.Length);
        Assert.Equal("[PAD]", lines[0].TrimEnd('\r'));
        Assert.Equal("[CLS]", lines[101].TrimEnd('\r'));
    }

    [Fact]
    public void ReadResource_UnknownNameListsAvailable()
    {
        var ex = Assert.Throws<KeyNotFoundException>(
            () => ManagedResourceReader.ReadResource(TextFixtures.MiniLmDllPath, "No.Such.Resource"));

        Assert.Contains("No.Such.Resource", ex.Message);
        Assert.Contains(TextFixtures.MiniLmVocabResource, ex.Message);
    }

    [Fact]
    public void ReadResource_MissingFileThrows()
    {
        var path = Path.Combine(Path.GetTempPath(), $"freebind-missing-{Guid.NewGuid():N}.dll");

        var ex = Assert.Throws<FileNotFoundException>(() => ManagedResourceReader.ReadResource(path, "x"));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void ReadResource_NonAssemblyThrows()
    {
        var path = TextFixtures.PathOf("clip_vocab.json");

        var ex = Assert.Throws<InvalidDataException>(() => ManagedResourceReader.ReadResource(path, "x"));
        Assert.Contains(path, ex.Message);
    }
}
