namespace FreeBind.Jobs;

/// <summary>Remembers the ids of started jobs in persistent grain state.</summary>
public sealed class JobRegistryGrain(
    [PersistentState("registry", FreeBindStorage.StateStorageName)] IPersistentState<JobRegistryState> state)
    : Grain, IJobRegistryGrain
{
    /// <inheritdoc />
    public async Task RegisterAsync(string jobId, CancellationToken cancellationToken)
    {
        if (state.State.JobIds.Contains(jobId))
        {
            return;
        }

        state.State.JobIds.Add(jobId);
        await state.WriteStateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(state.State.JobIds.ToList());
}
