using System.Runtime.Intrinsics;

namespace FreeBind.Evaluation;

/// <summary>
/// One gallery partition of an exact retrieval: it scores every query against its items in blocks
/// and returns its local top-k and, for every correct item of each query, how many of its items
/// rank before that item.
/// </summary>
/// <remarks>
/// Exact ranks over a gallery split into partitions take two passes. <see cref="ScoreRelevant"/>
/// returns the scores of the correct items this partition holds; the caller merges them over all
/// partitions and passes them to <see cref="Scan"/>, whose counts summed over partitions give each
/// correct item's rank in the whole gallery. Memory is bounded by one score block per thread
/// (<see cref="QueryBlock"/> × <see cref="GalleryRows"/> floats) plus k items per query.
/// </remarks>
public sealed class RetrievalPartition
{
    /// <summary>Queries scored together against one gallery block.</summary>
    public const int QueryBlock = 64;

    // Gallery floats per block (512 KiB). This is an estimate chosen to fit the L2 cache of
    // common x86 cores, so the block stays cached while every query of the query block uses it.
    private const int GalleryBlockValues = 1 << 17;

    private readonly EmbeddingMatrix _queries;
    private readonly EmbeddingMatrix _gallery;
    private readonly IReadOnlyList<IReadOnlyList<string>> _relevant;

    /// <summary>Creates a partition.</summary>
    /// <param name="queries">Every query; the same matrix for all partitions.</param>
    /// <param name="gallery">This partition's gallery rows.</param>
    /// <param name="relevant">Correct gallery ids of each query, aligned with the query rows; ids held by other partitions are allowed.</param>
    /// <exception cref="ArgumentException">The dimensions differ or <paramref name="relevant"/> has the wrong length.</exception>
    public RetrievalPartition(EmbeddingMatrix queries, EmbeddingMatrix gallery, IReadOnlyList<IReadOnlyList<string>> relevant)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(gallery);
        ArgumentNullException.ThrowIfNull(relevant);
        if (queries.Dimension != gallery.Dimension)
        {
            throw new ArgumentException(
                $"queries have dimension {queries.Dimension} but the gallery has {gallery.Dimension}: " +
                "evaluate two modalities of one space.", nameof(gallery));
        }

        if (relevant.Count != queries.Count)
        {
            throw new ArgumentException(
                $"{relevant.Count} relevance lists for {queries.Count} queries; pass one list per query.", nameof(relevant));
        }

        _queries = queries;
        _gallery = gallery;
        _relevant = relevant;
    }

    /// <summary>Gallery items in this partition.</summary>
    public int GallerySize => _gallery.Count;

    /// <summary>Returns, per query, the correct items in this partition with their scores.</summary>
    public IReadOnlyList<IReadOnlyList<RankedItem>> ScoreRelevant()
    {
        var result = new IReadOnlyList<RankedItem>[_queries.Count];
        for (var q = 0; q < _queries.Count; q++)
        {
            var held = new List<RankedItem>();
            foreach (var id in _relevant[q])
            {
                if (_gallery.RowIndex.TryGetValue(id, out var row))
                {
                    held.Add(new RankedItem(id, SimilarityKernel.Dot(_queries.Row(q), _gallery.Row(row))));
                }
            }

            result[q] = held;
        }

        return result;
    }

    /// <summary>Scans the partition: local top-k and the rank counts of every correct item.</summary>
    /// <param name="k">Items kept per query; at least 1.</param>
    /// <param name="relevantScores">Per query, every correct item in the whole gallery with its score (the merged <see cref="ScoreRelevant"/> results).</param>
    /// <param name="cancellationToken">Stops the scan between query blocks.</param>
    public IReadOnlyList<QueryScan> Scan(
        int k, IReadOnlyList<IReadOnlyList<RankedItem>> relevantScores, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentNullException.ThrowIfNull(relevantScores);
        if (relevantScores.Count != _queries.Count)
        {
            throw new ArgumentException(
                $"{relevantScores.Count} relevant-score lists for {_queries.Count} queries.", nameof(relevantScores));
        }

        var result = new QueryScan[_queries.Count];
        var blocks = (_queries.Count + QueryBlock - 1) / QueryBlock;
        Parallel.For(
            0,
            blocks,
            new ParallelOptions { CancellationToken = cancellationToken },
            () => new float[QueryBlock * GalleryRows(_queries.Dimension)],
            (block, _, buffer) =>
            {
                ScanBlock(block, k, relevantScores, buffer, result);
                return buffer;
            },
            _ => { });
        return result;
    }

    private void ScanBlock(
        int block, int k, IReadOnlyList<IReadOnlyList<RankedItem>> relevantScores, float[] buffer, QueryScan[] result)
    {
        var dimension = _queries.Dimension;
        var first = block * QueryBlock;
        var queryCount = Math.Min(QueryBlock, _queries.Count - first);
        var states = new QueryState[queryCount];
        for (var i = 0; i < queryCount; i++)
        {
            states[i] = new QueryState(k, relevantScores[first + i], _gallery);
        }

        var queries = _queries.Values.AsSpan(first * dimension, queryCount * dimension);
        var rows = GalleryRows(dimension);
        for (var start = 0; start < _gallery.Count; start += rows)
        {
            var count = Math.Min(rows, _gallery.Count - start);
            var gallery = _gallery.Values.AsSpan(start * dimension, count * dimension);
            SimilarityKernel.Scores(queries, gallery, dimension, buffer);
            for (var i = 0; i < queryCount; i++)
            {
                states[i].Add(buffer.AsSpan(i * count, count), start);
            }
        }

        for (var i = 0; i < queryCount; i++)
        {
            result[first + i] = states[i].ToScan(_queries.Ids[first + i], relevantScores[first + i], _gallery);
        }
    }

    /// <summary>Gallery rows scored per block for a dimension.</summary>
    public static int GalleryRows(int dimension) => Math.Max(16, GalleryBlockValues / Math.Max(1, dimension));

    /// <summary>Running top-k and rank counts of one query.</summary>
    private sealed class QueryState
    {
        private readonly int _k;
        private readonly float[] _topScores;
        private readonly int[] _topRows;
        private int _topCount;

        // Correct items' scores, ascending, and where each came from in the caller's list.
        private readonly float[] _thresholds;
        private readonly int[] _order;
        private readonly long[] _higherBuckets;
        private readonly long[] _tiedBuckets;
        private readonly HashSet<int> _relevantRows = [];
        private readonly IReadOnlyList<string> _galleryIds;

        public QueryState(int k, IReadOnlyList<RankedItem> relevant, EmbeddingMatrix gallery)
        {
            _k = k;
            _topScores = new float[k];
            _topRows = new int[k];
            _galleryIds = gallery.Ids;
            _order = Enumerable.Range(0, relevant.Count).OrderBy(i => relevant[i].Score).ToArray();
            _thresholds = _order.Select(i => relevant[i].Score).ToArray();
            _higherBuckets = new long[relevant.Count + 1];
            _tiedBuckets = new long[relevant.Count];
            foreach (var item in relevant)
            {
                if (gallery.RowIndex.TryGetValue(item.Id, out var row))
                {
                    _relevantRows.Add(row);
                }
            }
        }

        public void Add(ReadOnlySpan<float> scores, int firstRow)
        {
            var lowest = _thresholds.Length > 0 ? _thresholds[0] : float.PositiveInfinity;
            var j = 0;
            while (j < scores.Length)
            {
                // A score below both the k-th best and the lowest correct score changes nothing:
                // skip runs of such scores eight at a time.
                var gate = _topCount == _k ? Math.Min(_topScores[_k - 1], lowest) : float.NegativeInfinity;
                if (Vector256.IsHardwareAccelerated)
                {
                    var gates = Vector256.Create(gate);
                    while (j + Vector256<float>.Count <= scores.Length
                        && !Vector256.GreaterThanOrEqualAny(Vector256.Create(scores.Slice(j, Vector256<float>.Count)), gates))
                    {
                        j += Vector256<float>.Count;
                    }
                }

                var end = Math.Min(scores.Length, j + Vector256<float>.Count);
                for (; j < end; j++)
                {
                    var score = scores[j];
                    if (score < gate)
                    {
                        continue;
                    }

                    var row = firstRow + j;
                    Offer(score, row);
                    if (score < lowest)
                    {
                        continue;
                    }

                    // First threshold >= score: the item scores strictly higher than every threshold before it.
                    var index = LowerBound(score);
                    _higherBuckets[index]++;
                    if (index < _thresholds.Length && _thresholds[index] == score && !_relevantRows.Contains(row))
                    {
                        _tiedBuckets[index]++;
                    }
                }
            }
        }

        public QueryScan ToScan(string queryId, IReadOnlyList<RankedItem> relevant, EmbeddingMatrix gallery)
        {
            var top = new RankedItem[_topCount];
            for (var i = 0; i < _topCount; i++)
            {
                top[i] = new RankedItem(gallery.Ids[_topRows[i]], _topScores[i]);
            }

            // higher[r] = items above threshold r = buckets of indices after r.
            var counts = new RelevantCounts[relevant.Count];
            long above = 0;
            for (var r = _thresholds.Length - 1; r >= 0; r--)
            {
                above += _higherBuckets[r + 1];
                var groupStart = r;
                while (groupStart > 0 && _thresholds[groupStart - 1] == _thresholds[r])
                {
                    groupStart--;
                }

                var source = _order[r];
                counts[source] = new RelevantCounts(relevant[source].Id, relevant[source].Score, above, _tiedBuckets[groupStart]);
            }

            return new QueryScan(queryId, top, counts);
        }

        private int LowerBound(float score)
        {
            int low = 0, high = _thresholds.Length;
            while (low < high)
            {
                var mid = (low + high) >> 1;
                if (_thresholds[mid] < score)
                {
                    low = mid + 1;
                }
                else
                {
                    high = mid;
                }
            }

            return low;
        }

        // Keeps the k best (score descending, then ordinal id ascending) in sorted arrays.
        private void Offer(float score, int row)
        {
            if (_topCount == _k && !Before(score, row, _topScores[_k - 1], _topRows[_k - 1]))
            {
                return;
            }

            var position = _topCount == _k ? _k - 1 : _topCount++;
            while (position > 0 && Before(score, row, _topScores[position - 1], _topRows[position - 1]))
            {
                _topScores[position] = _topScores[position - 1];
                _topRows[position] = _topRows[position - 1];
                position--;
            }

            _topScores[position] = score;
            _topRows[position] = row;
        }

        private bool Before(float score, int row, float otherScore, int otherRow) =>
            score > otherScore
            || (score == otherScore && string.CompareOrdinal(_galleryIds[row], _galleryIds[otherRow]) < 0);
    }
}
