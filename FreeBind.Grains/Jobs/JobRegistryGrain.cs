namespace FreeBind.Jobs;

/// <summary>Remembers the ids and kinds of started jobs in persistent grain state.</summary>
public sealed class JobRegistryGrain(
    [PersistentState("registry", FreeBindStorage.StateStorageName)] IPersistentState<JobRegistryState> state)
    : Grain, IJobRegistryGrain
{
    /// <inheritdoc />
    public async Task RegisterAsync(string jobId, string kind, CancellationToken cancellationToken)
    {
        if (state.State.JobIds.Contains(jobId))
        {
            return;
        }

        state.State.JobIds.Add(jobId);
        state.State.Kinds[jobId] = kind;
        await state.WriteStateAsync(cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(state.State.JobIds.ToList());

    /// <inheritdoc />
    public Task<string?> GetKindAsync(string jobId, CancellationToken cancellationToken) =>
        Task.FromResult(
            state.State.Kinds.TryGetValue(jobId, out var kind) ? kind
            : state.State.JobIds.Contains(jobId) ? JobKinds.Embed
            : null);
}
