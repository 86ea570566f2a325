using FreeBind.Media;

namespace FreeBind.Training.Pseudo;

/// <summary>Converts between memory-bank plans and their wire forms.</summary>
internal static class MemoryBankSpecs
{
    /// <summary>Returns the wire form of a partition plan.</summary>
    public static MemoryBankPartitionSpec ToSpec(MemoryBankPartitionPlan plan, string embeddings) => new()
    {
        Embeddings = embeddings,
        Index = plan.Index,
        RetrievalSpace = plan.RetrievalSpace,
        ValueSpace = plan.ValueSpace,
        Modality = plan.Modality.ToName(),
        RetrievalDimension = plan.RetrievalDimension,
        ValueDimension = plan.ValueDimension,
        RetrievalPaths = plan.Files.Select(f => f.RetrievalPath).ToList(),
        ValuePaths = plan.Files.Select(f => f.ValuePath).ToList(),
        FirstRows = plan.Files.Select(f => f.FirstRow).ToList(),
        RowCounts = plan.Files.Select(f => f.RowCount).ToList(),
    };

    /// <summary>Returns the partition plan a wire form describes.</summary>
    public static MemoryBankPartitionPlan ToPlan(MemoryBankPartitionSpec spec) => new(
        spec.Index,
        spec.RetrievalSpace,
        spec.ValueSpace,
        ModalityNames.Parse(spec.Modality),
        spec.RetrievalDimension,
        spec.ValueDimension,
        spec.RetrievalPaths
            .Select((path, i) => new MemoryBankFileRange(path, spec.ValuePaths[i], spec.FirstRows[i], spec.RowCounts[i]))
            .ToList());

    /// <summary>Flattens per-query neighbour lists into a search result.</summary>
    public static MemoryBankSearchResult ToResult(MemoryBankNeighbour[][] neighbours, int valueDimension)
    {
        var total = neighbours.Sum(list => list.Length);
        var offsets = new int[neighbours.Length + 1];
        var scores = new float[total];
        var ids = new string[total];
        var values = new float[total * valueDimension];
        var next = 0;
        for (var query = 0; query < neighbours.Length; query++)
        {
            offsets[query] = next;
            foreach (var neighbour in neighbours[query])
            {
                scores[next] = neighbour.Score;
                ids[next] = neighbour.Id;
                neighbour.Value.CopyTo(values, next * valueDimension);
                next++;
            }
        }

        offsets[neighbours.Length] = next;
        return new MemoryBankSearchResult { Offsets = offsets, Scores = scores, Ids = ids, Values = values, ValueDimension = valueDimension };
    }

    /// <summary>Rebuilds per-query neighbour lists from a search result.</summary>
    public static MemoryBankNeighbour[][] FromResult(MemoryBankSearchResult result)
    {
        var queryCount = result.Offsets.Length - 1;
        var neighbours = new MemoryBankNeighbour[queryCount][];
        for (var query = 0; query < queryCount; query++)
        {
            var start = result.Offsets[query];
            var end = result.Offsets[query + 1];
            var list = new MemoryBankNeighbour[end - start];
            for (var i = start; i < end; i++)
            {
                var value = result.Values.AsSpan(i * result.ValueDimension, result.ValueDimension).ToArray();
                list[i - start] = new MemoryBankNeighbour(result.Scores[i], result.Ids[i], value);
            }

            neighbours[query] = list;
        }

        return neighbours;
    }
}
