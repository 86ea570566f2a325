using System.Collections.Concurrent;

using Orleans.Serialization;
using Orleans.Storage;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// Grain state kept in the test process and shared by every in-process silo, so state survives a
/// killed silo (Orleans' memory storage keeps it in grains that die with their silo). Values are
/// deep-copied on write and read, as a real store serialises them.
/// </summary>
public sealed class SharedGrainStorage(DeepCopier copier, ConcurrentDictionary<string, object?> states) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (states.TryGetValue($"{stateName}/{grainId}", out var state))
        {
            grainState.State = copier.Copy((T)state!);
            grainState.RecordExists = true;
            grainState.ETag = "1";
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        states[$"{stateName}/{grainId}"] = copier.Copy(grainState.State);
        grainState.RecordExists = true;
        grainState.ETag = "1";
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        states.TryRemove($"{stateName}/{grainId}", out _);
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
