namespace FreeBind.Jobs;

/// <summary>One-line descriptions of shard failures, for a job's failure reason.</summary>
internal static class ShardFailureText
{
    /// <summary>
    /// Returns "Type: first line of the message" of a shard failure. An AggregateException of
    /// repeated tries (as the Azure SDK raises after its retries) is described by its last inner
    /// exception and the number of tries, not by the message that repeats every inner one.
    /// </summary>
    public static string Describe(Exception exception)
    {
        if (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
        {
            var last = aggregate.InnerExceptions[^1];
            return $"{last.GetType().Name}: {FirstLine(last.Message)} ({aggregate.InnerExceptions.Count} tries)";
        }

        return $"{exception.GetType().Name}: {FirstLine(exception.Message)}";

        static string FirstLine(string text) => text.Split('\n')[0].TrimEnd();
    }
}
