using FreeBind.Storage;
using FreeBind.Training.Pseudo;

namespace FreeBind.Training;

/// <summary>
/// One data mode's pseudo dataset in memory, split into training and validation rows, with the
/// batch order of every epoch. The split and the orders depend only on the seed, so the trainer
/// and every worker, on any silo, agree on which rows form global batch b of epoch e.
/// </summary>
/// <remarks>
/// NOTE: every worker keeps the whole dataset of its mode in memory (shared by the workers of one
/// silo through <see cref="TrainingDatasetCache"/>) and copies its slice of each global batch. A
/// dataset larger than a silo's memory needs the rows partitioned across workers instead.
/// </remarks>
public sealed class TrainingDataset
{
    private TrainingDataset(float[] source, float[] target, int rows, int sourceDimension, int targetDimension, int[] train, int[] validation)
    {
        Source = source;
        Target = target;
        Rows = rows;
        SourceDimension = sourceDimension;
        TargetDimension = targetDimension;
        TrainRows = train;
        ValidationRows = validation;
    }

    /// <summary>Source embeddings of every row, [rows, source dimension].</summary>
    public float[] Source { get; }

    /// <summary>Target embeddings of every row, [rows, target dimension].</summary>
    public float[] Target { get; }

    public int Rows { get; }

    public int SourceDimension { get; }

    public int TargetDimension { get; }

    /// <summary>Rows of the training split, ascending.</summary>
    public int[] TrainRows { get; }

    /// <summary>Rows of the validation split, ascending.</summary>
    public int[] ValidationRows { get; }

    /// <summary>Reads every part of the dataset in <paramref name="folder"/> and splits it.</summary>
    /// <exception cref="PseudoDatasetException">The dataset is missing or unreadable.</exception>
    /// <exception cref="ArgumentException">It has fewer than 2 training rows.</exception>
    public static async Task<TrainingDataset> LoadAsync(
        IBlobStore store, string folder, int seed, double validationFraction, CancellationToken cancellationToken)
    {
        var reader = await PseudoDatasetReader.OpenAsync(store, folder, cancellationToken).ConfigureAwait(false);
        var manifest = reader.Manifest;
        var rows = checked((int)manifest.Rows);
        var source = new float[(long)rows * manifest.SourceDimension];
        var target = new float[(long)rows * manifest.TargetDimension];
        var read = 0;
        await foreach (var batch in reader.ReadBatchesAsync(4096, cancellationToken).ConfigureAwait(false))
        {
            if (read + batch.Count > rows)
            {
                throw new InvalidDataException(
                    $"pseudo dataset '{folder}' has more rows than its manifest's {rows}; build it again with freebind pseudo.");
            }

            batch.Source.AsSpan(0, batch.Count * manifest.SourceDimension).CopyTo(source.AsSpan(read * manifest.SourceDimension));
            batch.Target.AsSpan(0, batch.Count * manifest.TargetDimension).CopyTo(target.AsSpan(read * manifest.TargetDimension));
            read += batch.Count;
        }

        if (read != rows)
        {
            throw new InvalidDataException(
                $"pseudo dataset '{folder}' has {read} rows but its manifest says {rows}; build it again with freebind pseudo.");
        }

        var (train, validation) = Split(rows, seed, validationFraction);
        if (train.Length < 2)
        {
            throw new ArgumentException(
                $"pseudo dataset '{folder}' has {train.Length} training row(s) after holding out {validation.Length} for validation; " +
                "training needs at least 2: embed more items or lower the validation fraction.");
        }

        return new TrainingDataset(source, target, rows, manifest.SourceDimension, manifest.TargetDimension, train, validation);
    }

    /// <summary>Holds out <c>floor(rows · fraction)</c> rows chosen by a seeded shuffle.</summary>
    public static (int[] Train, int[] Validation) Split(int rows, int seed, double validationFraction)
    {
        var order = Enumerable.Range(0, rows).ToArray();
        new Random(seed).Shuffle(order);
        var held = (int)Math.Floor(rows * validationFraction);
        var validation = order[..held];
        var train = order[held..];
        Array.Sort(validation);
        Array.Sort(train);
        return (train, validation);
    }

    /// <summary>Steps of one epoch: whole global batches of the training split (the last partial batch is dropped).</summary>
    public int StepsPerEpoch(int batchSize) => Math.Max(1, TrainRows.Length / Math.Min(batchSize, TrainRows.Length));

    /// <summary>The global batch size actually used: the requested size, or the training split when it is smaller.</summary>
    public int EffectiveBatchSize(int batchSize) => Math.Min(batchSize, TrainRows.Length);

    /// <summary>Training rows in the order of epoch <paramref name="epoch"/>.</summary>
    public int[] EpochOrder(int seed, int epoch)
    {
        var order = (int[])TrainRows.Clone();
        new Random(unchecked((seed * 1_000_003) + epoch + 1)).Shuffle(order);
        return order;
    }

    /// <summary>Copies <paramref name="rows"/> into row-major source and target matrices.</summary>
    public void CopyRows(ReadOnlySpan<int> rows, float[] source, float[] target)
    {
        for (var r = 0; r < rows.Length; r++)
        {
            Source.AsSpan(rows[r] * SourceDimension, SourceDimension).CopyTo(source.AsSpan(r * SourceDimension));
            Target.AsSpan(rows[r] * TargetDimension, TargetDimension).CopyTo(target.AsSpan(r * TargetDimension));
        }
    }
}
