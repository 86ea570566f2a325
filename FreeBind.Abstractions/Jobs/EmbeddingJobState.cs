namespace FreeBind.Jobs;

/// <summary>Lifecycle of an embedding job.</summary>
public enum EmbeddingJobState
{
    Pending,
    Starting,
    Running,
    Completed,
    Failed,
}
