using FreeBind.Corpus;

namespace FreeBind.Tests.Corpus;

public sealed class CorpusFactoryTests
{
    [Fact]
    public void DetectsLocalKinds()
    {
        using var folder = new TempFolder();
        var jsonl = folder.Write("m.jsonl", "");
        var csv = folder.Write("m.csv", "id\n");
        folder.Write("s.tar", new byte[1024]);

        Assert.IsType<FolderCorpus>(CorpusFactory.Open(folder.Path, new CorpusOptions()));
        Assert.IsType<ManifestCorpus>(CorpusFactory.Open(jsonl, new CorpusOptions()));
        Assert.IsType<ManifestCorpus>(CorpusFactory.Open(csv, new CorpusOptions()));
        Assert.IsType<TarCorpus>(CorpusFactory.Open(Path.Combine(folder.Path, "s.tar"), new CorpusOptions()));
        Assert.IsType<TarCorpus>(CorpusFactory.Open(Path.Combine(folder.Path, "{s,s}.tar"), new CorpusOptions()));
    }

    [Theory]
    [InlineData("shards-{00..09}.tar.gz", ".tar.gz")]
    [InlineData("shard.tgz", ".tgz")]
    [InlineData("az://test/shards-{0..3}.tar.zst?sv=1", ".tar.zst")]
    public void CompressedTars_RejectedNamingCompression(string input, string suffix)
    {
        var error = Assert.Throws<ArgumentException>(() => CorpusFactory.Open(input, new CorpusOptions(), CorpusTestKit.Opener(Path.GetTempPath())));

        Assert.Contains($"names compressed tar shards ({suffix}), which are not read", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sv=1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DetectsBlobKinds()
    {
        using var folder = new TempFolder();
        var opener = CorpusTestKit.Opener(folder.Path);

        Assert.IsType<FolderCorpus>(CorpusFactory.Open("az://test/images/", new CorpusOptions(), opener));
        Assert.IsType<FolderCorpus>(CorpusFactory.Open("az://test/images", new CorpusOptions(), opener));
        Assert.IsType<ManifestCorpus>(CorpusFactory.Open("az://test/m.parquet", new CorpusOptions(), opener));
        Assert.IsType<TarCorpus>(CorpusFactory.Open("az://test/s-{00..09}.tar", new CorpusOptions(), opener));
    }

    [Fact]
    public async Task EmptyBlobFolderIsRejected()
    {
        // An Azure container that does not exist lists no files, like this empty folder.
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "empty"));
        var corpus = CorpusFactory.Open("az://test/empty/", new CorpusOptions(), CorpusTestKit.Opener(folder.Path));

        var error = await Assert.ThrowsAsync<ArgumentException>(() => corpus.ComputeFingerprintAsync(CancellationToken.None));

        Assert.Contains("lists no files", error.Message, StringComparison.Ordinal);
        Assert.Contains("check the container name", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("notes.md")]
    [InlineData("az://test/archive.zip")]
    public void UnknownInputNamesKinds(string input)
    {
        using var folder = new TempFolder();
        var path = input.StartsWith("az://", StringComparison.Ordinal) ? input : folder.Write(input, "x");

        var error = Assert.Throws<ArgumentException>(
            () => CorpusFactory.Open(path, new CorpusOptions(), CorpusTestKit.Opener(folder.Path)));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("*.jsonl, *.csv, *.tsv, *.parquet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFolderSaysNotFound()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "corpu");

        var error = Assert.Throws<ArgumentException>(() => CorpusFactory.Open(path, new CorpusOptions()));

        Assert.Contains($"'{path}' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingManifestThrows()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "absent.jsonl");

        var error = Assert.Throws<ArgumentException>(() => CorpusFactory.Open(path, new CorpusOptions()));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
