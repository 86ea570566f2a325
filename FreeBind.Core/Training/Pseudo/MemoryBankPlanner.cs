using FreeBind.Bonds.Graph;
using FreeBind.Media;
using FreeBind.Storage;

namespace FreeBind.Training.Pseudo;

/// <summary>Splits a memory bank's files into partitions of contiguous rows, reading only file footers.</summary>
public static class MemoryBankPlanner
{
    /// <summary>Plans the bank of <paramref name="modality"/> items searched in <paramref name="retrieval"/> and valued in <paramref name="value"/>.</summary>
    /// <param name="embeddings">Output root of the embed job.</param>
    /// <param name="retrieval">Space the queries are compared in.</param>
    /// <param name="value">Space whose embeddings of the retrieved items make the pseudo embedding.</param>
    /// <param name="modality">Bank modality; both spaces must embed it.</param>
    /// <param name="rowsPerPartition">Bank rows per partition, at least 1.</param>
    /// <param name="cancellationToken">Cancels the listing.</param>
    /// <exception cref="PseudoDatasetException">
    /// A space does not embed the modality, a file is missing or has the wrong dimension, or the bank is empty.
    /// </exception>
    public static async Task<MemoryBankPlan> PlanAsync(
        IBlobStore embeddings,
        BondSpaceSpec retrieval,
        BondSpaceSpec value,
        Modality modality,
        int rowsPerPartition,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerPartition, 1);
        foreach (var space in new[] { retrieval, value })
        {
            if (!space.Covers(modality))
            {
                throw new PseudoDatasetException(
                    $"bank modality '{modality.ToName()}' is not embedded by space '{space.Name}' " +
                    $"({string.Join(", ", space.Modalities.Select(m => m.ToName()))}): choose a --bank-modality both spaces embed.");
            }
        }

        var files = new List<(string Path, string ValuePath, long Rows)>();
        foreach (var path in await EmbeddingShardFiles.ListAsync(embeddings, retrieval.Name, modality, cancellationToken).ConfigureAwait(false))
        {
            var valuePath = EmbeddingShardFiles.Counterpart(path, value.Name, modality);
            if (!await embeddings.ExistsAsync(valuePath, cancellationToken).ConfigureAwait(false))
            {
                throw new PseudoDatasetException(
                    $"bank file '{path}' has no counterpart '{valuePath}' under '{embeddings.DisplayRoot}': " +
                    $"embed the same corpus with space '{value.Name}' so both spaces have every shard.");
            }

            var valueReader = await EmbeddingShardFiles.OpenAsync(embeddings, valuePath, value.Name, value.Dimension, cancellationToken).ConfigureAwait(false);
            await valueReader.DisposeAsync().ConfigureAwait(false);
            var reader = await EmbeddingShardFiles.OpenAsync(embeddings, path, retrieval.Name, retrieval.Dimension, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (reader.RowCount > 0)
                {
                    files.Add((path, valuePath, reader.RowCount));
                }
            }
        }

        if (files.Count == 0)
        {
            throw new PseudoDatasetException(
                $"the memory bank is empty: no {modality.ToName()} embeddings of space '{retrieval.Name}' under " +
                $"'{embeddings.DisplayRoot}/{EmbeddingShardFiles.Folder(retrieval.Name, modality)}': embed a {modality.ToName()} corpus " +
                $"with spaces '{retrieval.Name}' and '{value.Name}', or choose another --bank-modality.");
        }

        return new MemoryBankPlan(retrieval.Name, value.Name, modality, Split(files, rowsPerPartition, retrieval, value, modality));
    }

    /// <summary>Cuts the concatenated rows of <paramref name="files"/> into ranges of at most <paramref name="rowsPerPartition"/> rows.</summary>
    private static List<MemoryBankPartitionPlan> Split(
        List<(string Path, string ValuePath, long Rows)> files, int rowsPerPartition, BondSpaceSpec retrieval, BondSpaceSpec value, Modality modality)
    {
        var partitions = new List<MemoryBankPartitionPlan>();
        var current = new List<MemoryBankFileRange>();
        long filled = 0;
        foreach (var (path, valuePath, rows) in files)
        {
            long first = 0;
            while (first < rows)
            {
                var take = Math.Min(rows - first, rowsPerPartition - filled);
                current.Add(new MemoryBankFileRange(path, valuePath, first, take));
                first += take;
                filled += take;
                if (filled == rowsPerPartition)
                {
                    partitions.Add(new MemoryBankPartitionPlan(partitions.Count, retrieval.Name, value.Name, modality, retrieval.Dimension, value.Dimension, current));
                    current = [];
                    filled = 0;
                }
            }
        }

        if (current.Count > 0)
        {
            partitions.Add(new MemoryBankPartitionPlan(partitions.Count, retrieval.Name, value.Name, modality, retrieval.Dimension, value.Dimension, current));
        }

        return partitions;
    }
}
