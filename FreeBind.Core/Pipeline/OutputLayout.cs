namespace FreeBind.Pipeline;

/// <summary>Where a job's files go under its output root.</summary>
public static class OutputLayout
{
    /// <summary>Embeddings of one shard for one space and modality.</summary>
    public static string Embeddings(string space, string modality, int shard) =>
        $"embeddings/{space}/{modality}/shard-{shard:D6}.parquet";

    /// <summary>Error rows of one shard.</summary>
    public static string Errors(int shard) => $"errors/shard-{shard:D6}.parquet";

    /// <summary>Warning rows of one shard: inputs that were embedded with a counted problem, such as truncated text.</summary>
    public static string Warnings(int shard) => $"warnings/shard-{shard:D6}.parquet";

    /// <summary>Completion marker of one shard, written last.</summary>
    public static string ShardMarker(int shard) => $"shards/shard-{shard:D6}.json";

    /// <summary>Job manifest with the totals, written when the job completes.</summary>
    public const string JobManifest = "manifest.json";
}
