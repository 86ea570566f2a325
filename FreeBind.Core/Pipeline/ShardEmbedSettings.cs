namespace FreeBind.Pipeline;

/// <summary>Per-job knobs of <see cref="ShardEmbedder"/>.</summary>
/// <param name="BatchSize">Items per inference batch; 0 keeps each encoder's own batch size.</param>
/// <param name="PreprocessParallelism">Items read and preprocessed at once; 0 means one per core.</param>
/// <param name="Scheduling">Whether preprocessing runs beside inference; see <see cref="PreprocessScheduling"/>.</param>
public sealed record ShardEmbedSettings(
    int BatchSize = 0,
    int PreprocessParallelism = 0,
    PreprocessScheduling Scheduling = PreprocessScheduling.Overlap);
