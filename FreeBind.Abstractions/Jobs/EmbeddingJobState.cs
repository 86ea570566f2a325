namespace FreeBind.Jobs;

/// <summary>Lifecycle of an embedding job.</summary>
public enum EmbeddingJobState
{
    Pending,
    Starting,
    Running,
    Completed,
    Failed,

    /// <summary>Stopped on request; completed shards are kept, and running the job again resumes it.</summary>
    Cancelled,
}
