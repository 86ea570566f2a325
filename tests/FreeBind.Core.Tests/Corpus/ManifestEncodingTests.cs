using System.Text;
using FreeBind.Corpus;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

/// <summary>Text manifests whose bytes are not all UTF-8.</summary>
public sealed class ManifestEncodingTests
{
    private static readonly Encoding Latin1 = Encoding.Latin1;

    [Fact]
    public async Task JsonlLatin1LineBecomesError()
    {
        using var folder = new TempFolder();
        var first = """{"id": "l1", "text": "Café"}""" + "\n";
        var bytes = Latin1.GetBytes(first)
            .Concat(Encoding.UTF8.GetBytes("""{"id": "l2", "text": "ok ☕"}""" + "\r\n"))
            .Concat(Encoding.UTF8.GetBytes("""{"id": "l3", "text": "fine"}"""))
            .ToArray();
        var manifest = folder.Write("m.jsonl", bytes);

        var shards = await PlanAllAsync(CorpusFactory.Open(manifest, new CorpusOptions()), 100);

        var entries = Entries(shards);
        Assert.Equal(["l2", "l3"], entries.Select(e => e.Id));
        Assert.Equal("ok ☕", entries[0].Media.Single().InlineText);
        var issue = Assert.Single(Issues(shards));
        Assert.Equal("line 1", issue.Id);
        Assert.Equal("m.jsonl:1", issue.Source);
        Assert.Equal(
            $"line 1 is not valid UTF-8 at byte {first.IndexOf('é', StringComparison.Ordinal)} of the file: "
            + "save the manifest as UTF-8",
            issue.Message);
    }

    [Fact]
    public async Task CsvLatin1RecordBecomesError()
    {
        using var folder = new TempFolder();
        var header = "\uFEFFid,text\r\n";
        var bytes = Encoding.UTF8.GetBytes(header + "1,plain\r\n")
            .Concat(Latin1.GetBytes("2,\"two\r\nbrûlée\"\r\n"))
            .Concat(Encoding.UTF8.GetBytes("3,crème brûlée\r\n"))
            .ToArray();
        var manifest = folder.Write("m.csv", bytes);

        var shards = await PlanAllAsync(CorpusFactory.Open(manifest, new CorpusOptions()), 100);

        var entries = Entries(shards);
        Assert.Equal(["1", "3"], entries.Select(e => e.Id));
        Assert.Equal("crème brûlée", entries[1].Media.Single().InlineText);
        var issue = Assert.Single(Issues(shards));
        Assert.Equal("line 3", issue.Id);
        var invalidByte = Encoding.UTF8.GetByteCount(header + "1,plain\r\n2,\"two\r\nbr");
        Assert.Contains($"line 3 is not valid UTF-8 at byte {invalidByte} of the file", issue.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-32")]
    public async Task ByteOrderMarkEncodingsStillRead(string encodingName)
    {
        using var folder = new TempFolder();
        var encoding = Encoding.GetEncoding(encodingName);
        var manifest = folder.Write("m.csv", encoding.GetPreamble()
            .Concat(encoding.GetBytes("id,text\n1,Café utf16\n"))
            .ToArray());

        var shards = await PlanAllAsync(CorpusFactory.Open(manifest, new CorpusOptions()), 100);

        Assert.Empty(Issues(shards));
        Assert.Equal("Café utf16", Entries(shards).Single().Media.Single().InlineText);
    }
}
