using System.Text;
using System.Text.Json;
using FreeBind.Corpus;
using FreeBind.Media;
using Parquet;
using Parquet.Schema;
using Parquet.Serialization;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

/// <summary>Image and audio columns of Parquet manifests that contain bytes, paths or both.</summary>
public sealed class ParquetManifestMediaTests
{
    private static readonly byte[] ImageA = Encoding.UTF8.GetBytes("inline image a");
    private static readonly byte[] AudioD = Encoding.UTF8.GetBytes("inline audio d");

    [Fact]
    public async Task StructBytesWinOverPath()
    {
        using var folder = new TempFolder();
        folder.Write("img/a.jpg", "file image a");
        folder.Write("img/b.jpg", "file image b");
        var schema = new ParquetSchema(
            new DataField<string>("id"),
            new DataField<string>("caption", true),
            MediaStruct("image"),
            MediaStruct("audio"));
        var path = await WriteAsync(folder, schema, rowGroupSize: 2,
            Row("a", null, Cell(ImageA, "img/a.jpg"), null),
            Row("b", null, Cell(null, "img/b.jpg"), null),
            Row("c", "caption only", null, Cell(null, null)),
            Row("d", null, null, Cell(AudioD, null)));

        var corpus = CorpusFactory.Open(path, new CorpusOptions());
        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["a", "b", "c", "d"], entries.Select(e => e.Id));
        Assert.Empty(Issues(shards));
        var imageA = entries[0].Media.Single();
        Assert.Equal(("m.parquet", "image", 0L), (imageA.Location, imageA.Column, imageA.Row));
        Assert.Equal("m.parquet:1#image", imageA.Source);
        Assert.Equal("inline image a", await ReadTextAsync(corpus, imageA));
        Assert.Equal("file image b", await ReadTextAsync(corpus, entries[1].Media.Single()));
        Assert.Equal("img/b.jpg", entries[1].Media.Single().Source);
        Assert.Equal(Modality.Text, entries[2].Media.Single().Modality);
        var audioD = entries[3].Media.Single();
        Assert.Equal((Modality.Audio, 3L), (audioD.Modality, audioD.Row));
        Assert.Equal("inline audio d", await ReadTextAsync(corpus, audioD));

        var shardJson = JsonSerializer.Serialize(shards[0]);
        Assert.DoesNotContain(Convert.ToBase64String(ImageA), shardJson, StringComparison.Ordinal);
        Assert.DoesNotContain("inline image a", shardJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BinaryColumnIsReadByRow()
    {
        using var folder = new TempFolder();
        var schema = new ParquetSchema(new DataField<long>("id"), new DataField<byte[]>("image", true));
        var path = await WriteAsync(folder, schema, rowGroupSize: 1,
            new Dictionary<string, object?> { ["id"] = 1L, ["image"] = Binary(ImageA) },
            new Dictionary<string, object?> { ["id"] = 2L, ["image"] = null },
            new Dictionary<string, object?> { ["id"] = 3L, ["image"] = Binary(AudioD) });

        var corpus = CorpusFactory.Open(path, new CorpusOptions());
        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal(["1", "3"], entries.Select(e => e.Id));
        Assert.Equal("inline image a", await ReadTextAsync(corpus, entries[0].Media.Single()));
        Assert.Equal("inline audio d", await ReadTextAsync(corpus, entries[1].Media.Single()));
        var issue = Assert.Single(Issues(shards));
        Assert.Contains("row 2 has no text, image or audio", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnusableColumnTypeNamesColumn()
    {
        using var folder = new TempFolder();
        var schema = new ParquetSchema(
            new DataField<string>("id"),
            new StructField("image", new DataField<string>("url", true)));
        var path = await WriteAsync(folder, schema, rowGroupSize: 10,
            new Dictionary<string, object?>
            {
                ["id"] = "a",
                ["image"] = new Dictionary<string, object?> { ["url"] = "https://example.com/a.jpg" },
            });

        var corpus = CorpusFactory.Open(path, new CorpusOptions());
        var error = await Assert.ThrowsAsync<InvalidDataException>(() => PlanAllAsync(corpus, 100));

        Assert.Contains("column 'image' has type struct<url: string>", error.Message, StringComparison.Ordinal);
        Assert.Contains("binary 'bytes' field and a string 'path' field", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgedCellReferenceFailsAtRead()
    {
        using var folder = new TempFolder();
        var schema = new ParquetSchema(new DataField<string>("id"), new DataField<byte[]>("image", true));
        var path = await WriteAsync(folder, schema, rowGroupSize: 10,
            new Dictionary<string, object?> { ["id"] = "a", ["image"] = Binary(ImageA) });
        var corpus = CorpusFactory.Open(path, new CorpusOptions());

        var pastEnd = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(
            new MediaReference(Modality.Image, "m.parquet", Column: "image", Row: 5), Token));
        var otherFile = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(
            new MediaReference(Modality.Image, "other.parquet", Column: "image", Row: 0), Token));

        Assert.Contains("has 1 rows, so row 6 is not found", pastEnd.Message, StringComparison.Ordinal);
        Assert.Contains("is not a cell of Parquet manifest", otherFile.Message, StringComparison.Ordinal);
    }

    private static StructField MediaStruct(string name) =>
        new(name, new DataField<byte[]>("bytes", true), new DataField<string>("path", true));

    private static Dictionary<string, object?>? Cell(byte[]? bytes, string? path) =>
        new() { ["bytes"] = Binary(bytes), ["path"] = path };

    /// <summary>Boxes bytes as the untyped serializer of Parquet.Net 6.1 expects binary values.</summary>
    private static object? Binary(byte[]? bytes) => bytes is null ? null : new ReadOnlyMemory<byte>(bytes);

    private static Dictionary<string, object?> Row(
        string id, string? caption, Dictionary<string, object?>? image, Dictionary<string, object?>? audio) =>
        new() { ["id"] = id, ["caption"] = caption, ["image"] = image, ["audio"] = audio };

    private static async Task<string> WriteAsync(
        TempFolder folder, ParquetSchema schema, int rowGroupSize, params Dictionary<string, object?>[] rows)
    {
        var path = Path.Combine(folder.Path, "m.parquet");
        await using var file = File.Create(path);
        await ParquetSerializer.SerializeUntypedAsync(
            rows.Select(row => (IDictionary<string, object?>)row).ToList(),
            schema,
            file,
            new ParquetOptions { RowGroupSize = rowGroupSize },
            cancellationToken: Token);
        return path;
    }
}
