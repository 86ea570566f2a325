namespace FreeBind.Jobs;

/// <summary>Kinds of job in the registry, each served by its own coordinator grain interface.</summary>
public static class JobKinds
{
    /// <summary>An embedding job (<c>IEmbeddingJobGrain</c>).</summary>
    public const string Embed = "embed";

    /// <summary>A fuse job (<c>IFuseJobGrain</c>).</summary>
    public const string Fuse = "fuse";

    /// <summary>A pseudo-dataset job.</summary>
    public const string Pseudo = "pseudo";

    /// <summary>A training job (<c>ITrainingJobGrain</c>).</summary>
    public const string Train = "train";
}
