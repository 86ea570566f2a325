using System.Collections.Concurrent;

using FreeBind.Pipeline;

namespace FreeBind.Jobs;

/// <summary>
/// Silo-wide service that compiles bond graphs once per fingerprint, keeps their ONNX runners,
/// and fuses shards for fuse worker grains off the grain scheduler.
/// </summary>
public sealed class FusionService(JobStorage storage, ShardFuser fuser, FusionCompiler compiler) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<CompiledFusion>> _compiled = new();

    /// <summary>Compiles (or reuses) the fusion a request describes.</summary>
    public CompiledFusion GetCompiled(FuseJobRequest request)
    {
        var key = FusionCompiler.RequestKey(request);
        var lazy = _compiled.GetOrAdd(key, _ => new Lazy<CompiledFusion>(() => compiler.Compile(request)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _compiled.TryRemove(new KeyValuePair<string, Lazy<CompiledFusion>>(key, lazy));
            throw;
        }
    }

    /// <summary>Fuses one shard of a request.</summary>
    public Task<ShardOutcome> FuseAsync(FuseJobRequest request, int shard, CancellationToken cancellationToken) =>
        Task.Run(
            () =>
            {
                var compiled = GetCompiled(request);
                return fuser.FuseAsync(
                    storage.OpenOutput(request.Embeddings), storage.OpenOutput(request.Output), compiled.Target, shard, cancellationToken);
            },
            cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lazy in _compiled.Values)
        {
            if (lazy.IsValueCreated)
            {
                lazy.Value.Dispose();
            }
        }

        _compiled.Clear();
    }
}
