using FreeBind.Media;
using FreeBind.Placement;

using Orleans.Placement;

namespace FreeBind.Jobs;

/// <summary>Fuses shards on the silo it lives on; placed like encoder grains (GPU silos first).</summary>
[GpuPlacementFilter]
[ActivationCountBasedPlacement]
public sealed class FuseWorkerGrain(FusionService fusion, ILocalSiloDetails silo) : Grain, IFuseWorkerGrain
{
    /// <inheritdoc />
    public async Task<FusePreparation> PrepareAsync(FuseJobRequest request, CancellationToken cancellationToken)
    {
        CompiledFusion compiled;
        try
        {
            compiled = await Task.Run(() => fusion.GetCompiled(request), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Bond file problems arrive as library exceptions that clients on other silos could
            // not deserialize; the message is what the user needs.
            throw new JobConfigurationException(exception.Message);
        }

        var target = compiled.Target;
        return new FusePreparation
        {
            Space = target.Space,
            Profile = target.Profile,
            Fingerprint = target.Fingerprint,
            FolderName = target.FolderName,
            Modalities = target.Modalities.Select(m => m.Plan.Modality.ToName()).ToList(),
            Inputs = target.Modalities.ToDictionary(
                m => m.Plan.Modality.ToName(), m => (IReadOnlyList<string>)m.Plan.Inputs.ToList()),
        };
    }

    /// <inheritdoc />
    public async Task<ShardResult> FuseShardAsync(FuseJobRequest request, int shard, CancellationToken cancellationToken)
    {
        var outcome = await fusion.FuseAsync(request, shard, cancellationToken);
        DeactivateOnIdle();
        return new ShardResult
        {
            ShardIndex = shard,
            Entries = outcome.Entries,
            Embeddings = outcome.Embedded.Values.Sum(),
            ErrorsByStage = outcome.Errors.ToDictionary(p => p.Key, p => (long)p.Value),
            Skipped = outcome.Skipped,
            Silo = silo.SiloAddress.ToString(),
            InferenceSeconds = outcome.InferenceSeconds,
        };
    }
}
