using FreeBind.Corpus;
using Parquet;
using Parquet.Schema;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

/// <summary>Choice between the text columns of a manifest, row by row.</summary>
public sealed class ManifestTextColumnTests
{
    [Fact]
    public async Task CsvEmptyTextFallsBackToCaption()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.csv", "id,text,caption\n1,,caption only\n2,text here,\n3,both text,both caption\n4, ,\n");

        await AssertTextsAsync(manifest);
    }

    [Fact]
    public async Task JsonlNullTextFallsBackToCaption()
    {
        using var folder = new TempFolder();
        var manifest = folder.Write("m.jsonl", string.Join('\n',
            """{"id": "1", "text": null, "caption": "caption only"}""",
            """{"id": "2", "text": "text here", "caption": ""}""",
            """{"id": "3", "text": "both text", "caption": "both caption"}""",
            """{"id": "4", "text": "", "caption": " "}"""));

        await AssertTextsAsync(manifest);
    }

    [Fact]
    public async Task ParquetEmptyTextFallsBackToCaption()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "m.parquet");
        var id = new DataField<string>("id");
        var text = new DataField<string>("text", true);
        var caption = new DataField<string>("caption", true);
        await using (var file = File.Create(path))
        {
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, text, caption), file);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(id, new string[] { "1", "2", "3", "4" });
            await group.WriteAsync(text, new string?[] { "", "text here", "both text", null }!);
            await group.WriteAsync(caption, new string?[] { "caption only", null, "both caption", " " }!);
        }

        await AssertTextsAsync(path);
    }

    /// <summary>Checks the four rows that every test writes: caption only, text only, both, and
    /// neither.</summary>
    private static async Task AssertTextsAsync(string manifest)
    {
        var shards = await PlanAllAsync(CorpusFactory.Open(manifest, new CorpusOptions()), 100);

        var entries = Entries(shards);
        Assert.Equal(["1", "2", "3"], entries.Select(e => e.Id));
        Assert.Equal("caption only", entries[0].Media.Single().InlineText);
        Assert.Equal("text here", entries[1].Media.Single().InlineText);
        Assert.Equal("both text", entries[2].Media.Single().InlineText);
        var issue = Assert.Single(Issues(shards));
        Assert.Equal("4", issue.Id);
        Assert.Contains("has no text, image or audio", issue.Message, StringComparison.Ordinal);
    }
}
