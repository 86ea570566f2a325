using FreeBind.Corpus;
using FreeBind.Storage;

namespace FreeBind.Tests.Corpus;

/// <summary>Shared helpers for corpus tests.</summary>
internal static class CorpusTestKit
{
    /// <summary>A token that cancels after 30 seconds, so a hung read fails the test instead of
    /// blocking the run.</summary>
    public static CancellationToken Token => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    public static async Task<List<CorpusShard>> PlanAllAsync(ICorpus corpus, int shardSize)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var shards = new List<CorpusShard>();
        await foreach (var shard in corpus.PlanShardsAsync(shardSize, timeout.Token))
        {
            shards.Add(shard);
        }

        return shards;
    }

    public static List<CorpusEntry> Entries(IEnumerable<CorpusShard> shards) => shards.SelectMany(s => s.Entries).ToList();

    public static List<CorpusIssue> Issues(IEnumerable<CorpusShard> shards) => shards.SelectMany(s => s.Issues).ToList();

    public static async Task<string> ReadTextAsync(ICorpus corpus, MediaReference media)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var bytes = await corpus.ReadAsync(media, timeout.Token);
        return System.Text.Encoding.UTF8.GetString(bytes.Span);
    }

    /// <summary>An opener that maps <c>az://test/…</c> folder URIs onto subfolders of <paramref
    /// name="root"/>.</summary>
    public static Func<string, IBlobStore> Opener(string root, List<string>? opened = null) => uri =>
    {
        opened?.Add(uri);
        const string prefix = "az://test";
        Assert.StartsWith(prefix, uri, StringComparison.Ordinal);
        var relative = uri[prefix.Length..].Split('?')[0].TrimStart('/');
        return new FolderBlobStore(Path.Combine(root, relative));
    };
}
