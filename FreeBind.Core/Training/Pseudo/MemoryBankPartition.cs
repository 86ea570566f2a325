using System.Numerics;
using System.Runtime.InteropServices;

using FreeBind.Storage;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// The rows of one bank partition held in memory, with their embeddings in the retrieval and the
/// value space, and an exact top-k search over them.
/// </summary>
/// <remarks>
/// Items whose value-space embedding is missing (no row with that id in the same-named value file)
/// or whose embeddings are not finite are left out, and counted in <see cref="DroppedRows"/>.
/// Searches do not change the partition, so concurrent searches are safe.
/// </remarks>
public sealed class MemoryBankPartition
{
    private readonly string[] ids;
    private readonly float[] retrieval;
    private readonly float[] norms;
    private readonly float[] values;

    private MemoryBankPartition(MemoryBankPartitionPlan plan, string[] ids, float[] retrieval, float[] values, long droppedRows)
    {
        Plan = plan;
        this.ids = ids;
        this.retrieval = retrieval;
        this.values = values;
        DroppedRows = droppedRows;
        norms = new float[ids.Length];
        for (var row = 0; row < ids.Length; row++)
        {
            norms[row] = Norm(retrieval.AsSpan(row * plan.RetrievalDimension, plan.RetrievalDimension));
        }
    }

    /// <summary>The plan the partition was loaded from.</summary>
    public MemoryBankPartitionPlan Plan { get; }

    /// <summary>Bank items the partition searches.</summary>
    public int Count => ids.Length;

    /// <summary>Rows of the plan left out: no value-space embedding, or a value that is not finite.</summary>
    public long DroppedRows { get; }

    /// <summary>Builds a partition from rows in memory; tests and small banks use it.</summary>
    /// <param name="plan">Describes the spaces and dimensions; its file list is not read.</param>
    /// <param name="rows">Bank items: id, retrieval-space embedding, value-space embedding.</param>
    public static MemoryBankPartition FromRows(MemoryBankPartitionPlan plan, IEnumerable<(string Id, float[] Retrieval, float[] Value)> rows)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(rows);

        var kept = new List<(string Id, float[] Retrieval, float[] Value)>();
        long dropped = 0;
        foreach (var row in rows)
        {
            if (row.Retrieval.Length != plan.RetrievalDimension || row.Value.Length != plan.ValueDimension)
            {
                throw new ArgumentException(
                    $"bank item '{row.Id}' has dimensions {row.Retrieval.Length} and {row.Value.Length}; the plan declares " +
                    $"{plan.RetrievalDimension} ('{plan.RetrievalSpace}') and {plan.ValueDimension} ('{plan.ValueSpace}').",
                    nameof(rows));
            }

            if (EmbeddingShardFiles.IsFinite(row.Retrieval) && EmbeddingShardFiles.IsFinite(row.Value))
            {
                kept.Add(row);
            }
            else
            {
                dropped++;
            }
        }

        return Create(plan, kept, dropped);
    }

    /// <summary>Reads the plan's row ranges from the embeddings root, one row group and one value file at a time.</summary>
    /// <exception cref="PseudoDatasetException">A file has a dimension other than the plan's.</exception>
    public static async Task<MemoryBankPartition> LoadAsync(IBlobStore embeddings, MemoryBankPartitionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(plan);

        var kept = new List<(string Id, float[] Retrieval, float[] Value)>();
        long dropped = 0;
        foreach (var range in plan.Files)
        {
            var rows = await ReadRangeAsync(embeddings, plan, range, cancellationToken).ConfigureAwait(false);
            var (valueIds, valueVectors) = await EmbeddingShardFiles.ReadAsync(
                embeddings, range.ValuePath, plan.ValueSpace, plan.ValueDimension, cancellationToken).ConfigureAwait(false);
            var needed = rows.Select(row => row.Id).ToHashSet(StringComparer.Ordinal);
            var lookup = new Dictionary<string, float[]>(StringComparer.Ordinal);
            for (var i = 0; i < valueIds.Count; i++)
            {
                if (needed.Contains(valueIds[i]))
                {
                    lookup.TryAdd(valueIds[i], valueVectors[i]);
                }
            }

            foreach (var (id, vector) in rows)
            {
                if (lookup.TryGetValue(id, out var value) && EmbeddingShardFiles.IsFinite(vector) && EmbeddingShardFiles.IsFinite(value))
                {
                    kept.Add((id, vector, value));
                }
                else
                {
                    dropped++;
                }
            }
        }

        return Create(plan, kept, dropped);
    }

    /// <summary>Finds each query's exact top-k bank items by cosine similarity.</summary>
    /// <param name="queries">Query embeddings in the retrieval space, row-major, <paramref name="queryCount"/> × retrieval dimension.</param>
    /// <param name="queryCount">Number of queries.</param>
    /// <param name="k">Neighbours per query; fewer come back when the partition holds fewer items.</param>
    /// <returns>Per query, up to <paramref name="k"/> neighbours, best first in the order of <see cref="MemoryBankMerge.Compare"/>.</returns>
    public MemoryBankNeighbour[][] Search(ReadOnlySpan<float> queries, int queryCount, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var dimension = Plan.RetrievalDimension;
        if (queries.Length != queryCount * dimension)
        {
            throw new ArgumentException(
                $"queries hold {queries.Length} floats for {queryCount} queries of dimension {dimension}.", nameof(queries));
        }

        var results = new MemoryBankNeighbour[queryCount][];
        var take = Math.Min(k, ids.Length);
        var bestRows = new int[take];
        var bestScores = new float[take];
        for (var query = 0; query < queryCount; query++)
        {
            var vector = queries.Slice(query * dimension, dimension);
            var queryNorm = Norm(vector);
            var filled = 0;
            for (var row = 0; row < ids.Length; row++)
            {
                var score = Dot(vector, retrieval.AsSpan(row * dimension, dimension)) / (queryNorm * norms[row]);
                filled = Insert(bestRows, bestScores, filled, row, score);
            }

            var neighbours = new MemoryBankNeighbour[filled];
            for (var i = 0; i < filled; i++)
            {
                var row = bestRows[i];
                neighbours[i] = new MemoryBankNeighbour(bestScores[i], ids[row], values.AsSpan(row * Plan.ValueDimension, Plan.ValueDimension).ToArray());
            }

            results[query] = neighbours;
        }

        return results;
    }

    /// <summary>Computes the L2 norm, floored at 1e-12 so a zero vector scores 0 in place of NaN.</summary>
    internal static float Norm(ReadOnlySpan<float> vector) => MathF.Max(MathF.Sqrt(Dot(vector, vector)), 1e-12f);

    /// <summary>Computes a dot product with SIMD lanes, then the remainder in order.</summary>
    internal static float Dot(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        var sum = Vector<float>.Zero;
        var lanes = Vector<float>.Count;
        var i = 0;
        var leftVectors = MemoryMarshal.Cast<float, Vector<float>>(left);
        var rightVectors = MemoryMarshal.Cast<float, Vector<float>>(right);
        for (var v = 0; v < leftVectors.Length; v++)
        {
            sum += leftVectors[v] * rightVectors[v];
        }

        i = leftVectors.Length * lanes;
        var total = Vector.Sum(sum);
        for (; i < left.Length; i++)
        {
            total += left[i] * right[i];
        }

        return total;
    }

    /// <summary>
    /// Inserts <paramref name="row"/> into the sorted best list when it beats the worst entry, in
    /// the order of <see cref="MemoryBankMerge.Compare"/>; returns the new fill count.
    /// </summary>
    private int Insert(int[] bestRows, float[] bestScores, int filled, int row, float score)
    {
        var capacity = bestRows.Length;
        if (filled == capacity && !Better(score, row, bestScores[capacity - 1], bestRows[capacity - 1]))
        {
            return filled;
        }

        var position = filled == capacity ? capacity - 1 : filled;
        while (position > 0 && Better(score, row, bestScores[position - 1], bestRows[position - 1]))
        {
            bestScores[position] = bestScores[position - 1];
            bestRows[position] = bestRows[position - 1];
            position--;
        }

        bestScores[position] = score;
        bestRows[position] = row;
        return Math.Min(filled + 1, capacity);
    }

    private bool Better(float score, int row, float otherScore, int otherRow) =>
        score > otherScore || (score == otherScore && string.CompareOrdinal(ids[row], ids[otherRow]) < 0);

    private static MemoryBankPartition Create(MemoryBankPartitionPlan plan, List<(string Id, float[] Retrieval, float[] Value)> rows, long dropped)
    {
        var retrieval = new float[rows.Count * plan.RetrievalDimension];
        var values = new float[rows.Count * plan.ValueDimension];
        for (var row = 0; row < rows.Count; row++)
        {
            rows[row].Retrieval.CopyTo(retrieval, row * plan.RetrievalDimension);
            rows[row].Value.CopyTo(values, row * plan.ValueDimension);
        }

        return new MemoryBankPartition(plan, rows.Select(row => row.Id).ToArray(), retrieval, values, dropped);
    }

    /// <summary>Reads the rows of one range, reading row groups in order and stopping after the range's end.</summary>
    private static async Task<List<(string Id, float[] Vector)>> ReadRangeAsync(
        IBlobStore embeddings, MemoryBankPartitionPlan plan, MemoryBankFileRange range, CancellationToken cancellationToken)
    {
        var rows = new List<(string Id, float[] Vector)>();
        var reader = await EmbeddingShardFiles.OpenAsync(
            embeddings, range.RetrievalPath, plan.RetrievalSpace, plan.RetrievalDimension, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            // NOTE: row groups before the range are read and discarded, because the reader does not
            // expose per-group row counts; with 64 MiB groups this costs at most one file's reading.
            long rowIndex = 0;
            var end = range.FirstRow + range.RowCount;
            for (var group = 0; group < reader.RowGroupCount && rowIndex < end; group++)
            {
                foreach (var row in await reader.ReadRowGroupAsync(group, cancellationToken).ConfigureAwait(false))
                {
                    if (rowIndex >= range.FirstRow && rowIndex < end)
                    {
                        rows.Add((row.Id, row.Embedding));
                    }

                    rowIndex++;
                }
            }
        }

        return rows;
    }
}
