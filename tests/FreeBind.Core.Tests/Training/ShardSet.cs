using FreeBind.Training;

namespace FreeBind.Tests.Training;

/// <summary>In-process shards that split one global batch into contiguous, near-equal slices.</summary>
internal sealed class ShardSet : IDisposable
{
    private readonly List<TrainingShard> _shards = [];

    public ShardSet(float[] source, float[] target, int batch, int inputDimension, int outputDimension, int count)
    {
        int start = 0;
        for (int s = 0; s < count; s++)
        {
            int rows = batch / count + (s < batch % count ? 1 : 0);
            var shard = new TrainingShard(new TrainingShardOptions { IntraOpThreads = 1 });
            shard.LoadBatch(
                source.AsSpan(start * inputDimension, rows * inputDimension).ToArray(),
                target.AsSpan(start * outputDimension, rows * outputDimension).ToArray(),
                rows);
            _shards.Add(shard);
            start += rows;
        }
    }

    public IReadOnlyList<ITrainingShard> Shards => _shards;

    public void Dispose()
    {
        foreach (TrainingShard shard in _shards)
        {
            shard.Dispose();
        }
    }
}
