using FreeBind.Jobs;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Coordinates one pseudo-dataset job: plans the memory-bank partitions, sends query batches to
/// partition grains, merges their results and writes the datasets.
/// </summary>
[Alias("FreeBind.IPseudoDatasetJobGrain")]
public interface IPseudoDatasetJobGrain : IGrainWithStringKey
{
    /// <summary>Checks the bond and options, then builds in the background; the status reuses the embedding job's fields.</summary>
    /// <exception cref="JobConfigurationException">The bond, a data mode or an option is invalid.</exception>
    [Alias("StartAsync")]
    Task<EmbeddingJobStatus> StartAsync(PseudoDatasetJobRequest request, CancellationToken cancellationToken = default);

    /// <summary>Returns the job's current progress; EntriesDone counts queries.</summary>
    [Alias("GetStatusAsync")]
    Task<EmbeddingJobStatus> GetStatusAsync(CancellationToken cancellationToken = default);
}
