using System.Collections.Concurrent;

using FreeBind.Jobs;

namespace FreeBind.Training;

/// <summary>Loads each pseudo dataset once per silo and shares it between the workers placed there.</summary>
/// <remarks>NOTE: entries stay until the silo stops; a long-lived silo that trains many bonds should evict them.</remarks>
public sealed class TrainingDatasetCache(JobStorage storage)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<TrainingDataset>>> datasets = new(StringComparer.Ordinal);

    /// <summary>Returns the dataset of <paramref name="setup"/>, loading it on first use.</summary>
    public Task<TrainingDataset> GetAsync(TrainingWorkerSetup setup, CancellationToken cancellationToken)
    {
        var key = $"{setup.Data}|{setup.Folder}|{setup.Seed}|{setup.ValidationFraction:R}";
        var entry = datasets.GetOrAdd(key, _ => new Lazy<Task<TrainingDataset>>(() => TrainingDataset.LoadAsync(
            storage.OpenOutput(setup.Data), setup.Folder, setup.Seed, setup.ValidationFraction, CancellationToken.None)));
        var task = entry.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed load (storage down) must not stick: the next worker tries again.
            datasets.TryRemove(new KeyValuePair<string, Lazy<Task<TrainingDataset>>>(key, entry));
        }

        return task.WaitAsync(cancellationToken);
    }
}
