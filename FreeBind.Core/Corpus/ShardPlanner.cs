using System.Runtime.CompilerServices;

namespace FreeBind.Corpus;

/// <summary>One planning result: an entry to embed or an issue to report, never both.</summary>
internal readonly record struct PlanItem(CorpusEntry? Entry, CorpusIssue? Issue)
{
    public static PlanItem Of(CorpusEntry entry) => new(entry, null);

    public static PlanItem Of(CorpusIssue issue) => new(null, issue);
}

/// <summary>Cuts a stream of entries and issues into shards of at most a given number of entries.</summary>
internal static class ShardPlanner
{
    /// <summary>
    /// Groups <paramref name="items"/> into shards numbered from 0. An issue goes into the shard
    /// that holds the entries read just before it, so an issue about a kept entry sits beside it.
    /// Only one shard is held in memory at a time.
    /// </summary>
    public static IAsyncEnumerable<CorpusShard> PlanAsync(
        IAsyncEnumerable<PlanItem> items, int shardSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardSize, 1);
        return PlanCoreAsync(items, shardSize, cancellationToken);
    }

    private static async IAsyncEnumerable<CorpusShard> PlanCoreAsync(
        IAsyncEnumerable<PlanItem> items, int shardSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var index = 0;
        var entries = new List<CorpusEntry>();
        var issues = new List<CorpusIssue>();

        await foreach (var item in items.WithCancellation(cancellationToken))
        {
            if (item.Entry is { } entry)
            {
                // Close the full shard only when the next entry arrives, so that issues which
                // follow the last entry of a shard still land in it.
                if (entries.Count == shardSize)
                {
                    yield return new CorpusShard(index++, entries, issues);
                    entries = [];
                    issues = [];
                }

                entries.Add(entry);
            }

            if (item.Issue is { } issue)
            {
                issues.Add(issue);
            }
        }

        if (entries.Count > 0 || issues.Count > 0)
        {
            yield return new CorpusShard(index, entries, issues);
        }
    }
}
