using FreeBind.Corpus;
using FreeBind.Media;
using Parquet;
using Parquet.Schema;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

public sealed class ManifestCorpusTests
{
    [Fact]
    public async Task JsonlReadsRowsAndReportsBadLines()
    {
        using var folder = new TempFolder();
        folder.Write("images/a.jpg", "image a");
        var manifest = folder.Write("m.jsonl", string.Join('\n',
            """{"id": "a", "image": "images/a.jpg", "text": "a cat"}""",
            "",
            """{"id": 7, "caption": "seven"}""",
            "{not json",
            """[1, 2]""",
            """{"text": "no id"}""",
            """{"id": "a", "text": "duplicate"}""",
            """{"id": "up", "image": "../outside.jpg"}""",
            """{"id": "abs", "image": "/etc/passwd", "text": "kept text"}"""));
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["a", "7", "abs"], entries.Select(e => e.Id));
        Assert.Equal("image a", await ReadTextAsync(corpus, entries[0].Media.Single(m => m.Modality == Modality.Image)));
        Assert.Equal("a cat", await ReadTextAsync(corpus, entries[0].Media.Single(m => m.Modality == Modality.Text)));
        Assert.Equal("seven", entries[1].Media.Single().InlineText);
        Assert.Equal("m.jsonl:3", entries[1].Media.Single().Source);
        Assert.Equal(Modality.Text, entries[2].Media.Single().Modality);

        var issues = Issues(shards);
        Assert.Equal(["line 4", "line 5", "line 6", "a", "up", "abs"], issues.Select(i => i.Id));
        Assert.Equal("m.jsonl:4", issues[0].Source);
        Assert.Contains("not valid JSON", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("not an object", issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("no id", issues[2].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate id 'a' on line 7", issues[3].Message, StringComparison.Ordinal);
        Assert.Contains("'../outside.jpg'", issues[4].Message, StringComparison.Ordinal);
        Assert.Contains("'/etc/passwd'", issues[5].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidRowKeepsItsReadableId()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.jsonl", string.Join('\n',
            """{"id": "c", "text": ["a", "list"]}""",
            """{"id": "d", "text": "broken"""));
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var issues = Issues(await PlanAllAsync(corpus, 100));

        Assert.Equal(["c", "line 2"], issues.Select(i => i.Id));
        Assert.Contains("field 'text' is a JSON array", issues[0].Message, StringComparison.Ordinal);
        Assert.StartsWith("line 2 is not valid JSON (", issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("at byte ", issues[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", issues[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingFileFailsAtReadWithHint()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.jsonl", """{"id": "x", "image": "images/x.jpg"}""");
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());
        var image = Entries(await PlanAllAsync(corpus, 10)).Single().Media.Single();

        var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(image, Token));

        Assert.Equal("read", error.Stage);
        Assert.Equal(
            $"file 'images/x.jpg' not found under the corpus root '{folder.Path}': check the manifest path",
            error.Message);
    }

    [Fact]
    public async Task ForgedReferenceCannotEscapeRoot()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.jsonl", """{"id": "x", "text": "t"}""");
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var error = await Assert.ThrowsAsync<MediaException>(
            () => corpus.ReadAsync(new MediaReference(Modality.Image, "../../etc/passwd"), Token));

        Assert.Equal("read", error.Stage);
        Assert.Contains("leaves the corpus root", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManifestRoot_JoinsFingerprint()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("lists/m.jsonl", """{"id": "p", "image": "media/p.png"}""");

        var plain = await CorpusFactory.Open(manifest, new CorpusOptions()).ComputeFingerprintAsync(Token);
        var ownFolder = await CorpusFactory.Open(manifest, new CorpusOptions { ManifestRoot = Path.Combine(folder.Path, "lists") })
            .ComputeFingerprintAsync(Token);
        var parent = await CorpusFactory.Open(manifest, new CorpusOptions { ManifestRoot = folder.Path })
            .ComputeFingerprintAsync(Token);

        // The same manifest under another root names other files, so a resumed job must not skip them.
        Assert.NotEqual(plain, parent);
        Assert.NotEqual(ownFolder, parent);
        Assert.Equal(64, parent.Length);
    }

    [Fact]
    public async Task AbsolutePathInsideRootIsMadeRelative()
    {
        using var folder = new TempFolder();
        var image = folder.Write("media/p.png", "png bytes");
        var manifest = folder.Write("lists/m.jsonl", $$"""{"id": "p", "image": "{{image}}"}""");
        var options = new CorpusOptions { ManifestRoot = folder.Path };

        var corpus = CorpusFactory.Open(manifest, options);
        var media = Entries(await PlanAllAsync(corpus, 10)).Single().Media.Single();

        Assert.Equal("media/p.png", media.Location);
        Assert.Equal("png bytes", await ReadTextAsync(corpus, media));
    }

    [Fact]
    public async Task CsvHandlesQuotingAndBom()
    {
        using var folder = new TempFolder();
        folder.Write("a.jpg", "image a");
        var csv = "\uFEFFid,caption,image\r\n"
            + "a,\"a \"\"quoted\"\" caption, with comma\",a.jpg\r\n"
            + "b,\"two\nlines\",\r\n"
            + "c,too,many,fields\r\n"
            + "d,\"bad\"x,\r\n"
            + "\r\n"
            + ",no id,\r\n"
            + "e,\"never closed";
        var manifest = folder.Write("m.csv", csv);
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["a", "b"], entries.Select(e => e.Id));
        Assert.Equal("a \"quoted\" caption, with comma", entries[0].Media[0].InlineText);
        Assert.Equal("image a", await ReadTextAsync(corpus, entries[0].Media[1]));
        Assert.Equal("two\nlines", entries[1].Media.Single().InlineText);

        var issues = Issues(shards);
        // Broken rows keep the id they start with; the row without one is named by its line.
        Assert.Equal(["c", "d", "line 8", "e"], issues.Select(i => i.Id));
        Assert.Contains("line 5 has 4 fields but the header has 3", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("line 6", issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("closing quote", issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("no id", issues[2].Message, StringComparison.Ordinal);
        Assert.Contains("line 9", issues[3].Message, StringComparison.Ordinal);
        Assert.Contains("never closed", issues[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnclosedQuoteNamesSwallowedLines()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.csv", "id,text\n1,first\n2,\"open\n3,third\n4,fourth\n");
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        Assert.Equal(["1"], Entries(shards).Select(e => e.Id));
        var issue = Assert.Single(Issues(shards));
        Assert.Equal(
            "line 3: a quoted field is never closed, so lines 3 to 5 were read as one row: add the closing quote",
            issue.Message);
    }

    [Fact]
    public async Task ParquetReadsAcrossRowGroups()
    {
        using var folder = new TempFolder();
        folder.Write("img/0.jpg", "image 0");
        var path = Path.Combine(folder.Path, "m.parquet");
        var id = new DataField<long>("id");
        var text = new DataField<string>("text", true);
        var image = new DataField<string>("image", true);
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, text, image), file);
            await WriteGroupAsync(writer, [0, 1], ["zero", null], ["img/0.jpg", "../escape.jpg"]);
            await WriteGroupAsync(writer, [2, 0], ["two", "duplicate"], [null, null]);
        }

        var corpus = CorpusFactory.Open(path, new CorpusOptions());
        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["0", "2"], entries.Select(e => e.Id));
        Assert.Equal("zero", entries[0].Media[0].InlineText);
        Assert.Equal("image 0", await ReadTextAsync(corpus, entries[0].Media[1]));
        Assert.Equal("two", entries[1].Media.Single().InlineText);
        var issues = Issues(shards);
        Assert.Equal(["1", "0"], issues.Select(i => i.Id));
        Assert.Contains("'../escape.jpg' on row 2", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("duplicate id '0' on row 4", issues[1].Message, StringComparison.Ordinal);

        async Task WriteGroupAsync(ParquetWriter writer, long[] ids, string?[] texts, string?[] images)
        {
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, new ReadOnlyMemory<long>(ids));
            await group.WriteAsync(text, texts!);
            await group.WriteAsync(image, images!);
        }
    }

    [Fact]
    public async Task FingerprintHashesManifestBytes()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.jsonl", """{"id": "x", "text": "t"}""");
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var expected = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(manifest)));

        Assert.Equal(expected, await corpus.ComputeFingerprintAsync(Token));
    }

    [Fact]
    public async Task BlobManifestReadsThroughStore()
    {
        using var folder = new TempFolder();
        folder.Write("data/images/a.jpg", "image a");
        folder.Write("other/b.wav", "audio b");
        folder.Write("data/m.jsonl", string.Join('\n',
            """{"id": "a", "image": "images/a.jpg"}""",
            """{"id": "b", "audio": "az://test/other/b.wav?sig=secret"}""",
            """{"id": "c", "image": "../other/b.wav"}"""));
        var opened = new List<string>();

        var corpus = CorpusFactory.Open("az://test/data/m.jsonl", new CorpusOptions(), Opener(folder.Path, opened));
        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["a", "b"], entries.Select(e => e.Id));
        Assert.Equal("image a", await ReadTextAsync(corpus, entries[0].Media.Single()));
        Assert.Equal("audio b", await ReadTextAsync(corpus, entries[1].Media.Single()));
        Assert.Equal("az://test/other/b.wav", entries[1].Media.Single().Source);
        Assert.Equal("c", Assert.Single(Issues(shards)).Id);
        Assert.Equal(["az://test/data", "az://test/other?sig=secret"], opened);
    }

    [Fact]
    public async Task WebUrlBecomesPlanIssue()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.jsonl", string.Join('\n',
            """{"id": "web", "image": "https://example.com/x.jpg?token=secret", "text": "kept"}""",
            """{"id": "http", "audio": "http://example.com/y.wav"}""",
            """{"id": "blob", "image": "https://acct.blob.core.windows.net/c/x.jpg"}"""));
        var opened = new List<string>();

        var corpus = CorpusFactory.Open(manifest, new CorpusOptions(), uri =>
        {
            opened.Add(uri);
            return new FolderBlobStore(folder.Path);
        });
        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["web", "blob"], entries.Select(e => e.Id));
        Assert.Equal(Modality.Text, entries[0].Media.Single().Modality);
        Assert.Equal("https://acct.blob.core.windows.net/c/x.jpg", entries[1].Media.Single().Location);
        var issues = Issues(shards);
        Assert.Equal(["web", "http"], issues.Select(i => i.Id));
        Assert.Equal(
            "image 'https://example.com/x.jpg' on line 1 is a web URL, and FreeBind does not download web URLs: "
            + "download the files and list their paths, or list blob URIs "
            + "(https://<account>.blob.core.windows.net/<container>/<path>)",
            issues[0].Message);
        Assert.StartsWith("audio 'http://example.com/y.wav' on line 2 is a web URL", issues[1].Message, StringComparison.Ordinal);
        Assert.Empty(opened);
    }

    [Theory]
    [InlineData("m.jsonl", "{\"id\": \"a\", \"text\": \"t\", \"image\": \"\"}\n"
        + "{\"id\": \"b\", \"text\": \"t\", \"audio\": \"  \"}\n"
        + "{\"id\": \"c\", \"image\": \" \", \"audio\": \"\"}", 3)]
    [InlineData("m.csv", "id,text,image,audio\na,t,,\nb,t,,  \nc,, ,", 4)]
    public async Task BlankMediaPathMeansNoFile(string name, string content, int emptyRowLine)
    {
        using var folder = new TempFolder();
        var manifest = folder.Write(name, content);
        var corpus = CorpusFactory.Open(manifest, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["a", "b"], entries.Select(e => e.Id));
        Assert.All(entries, entry => Assert.Equal(Modality.Text, Assert.Single(entry.Media).Modality));
        var issue = Assert.Single(Issues(shards));
        Assert.Equal("c", issue.Id);
        Assert.Equal($"line {emptyRowLine} has no text, image or audio: fill at least one of those columns", issue.Message);
    }

    [Fact]
    public void BlobInputWithoutOpenerThrows()
    {
        var error = Assert.Throws<ArgumentException>(
            () => CorpusFactory.Open("https://acct.blob.core.windows.net/c/m.jsonl?sig=secret", new CorpusOptions()));

        Assert.Contains("no blob store opener", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }
}
