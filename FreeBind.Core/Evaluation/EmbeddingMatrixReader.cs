using FreeBind.Media;
using FreeBind.Pipeline;
using FreeBind.Storage;

namespace FreeBind.Evaluation;

/// <summary>Reads a space's Parquet embeddings of one modality into an <see cref="EmbeddingMatrix"/>.</summary>
public static class EmbeddingMatrixReader
{
    /// <summary>Returns the folder of one space and modality under an embed or fuse output root.</summary>
    public static string Folder(string space, Modality modality) =>
        Path.GetDirectoryName(OutputLayout.Embeddings(space, modality.ToName(), 0))!.Replace('\\', '/') + "/";

    /// <summary>Lists the shard files of one space and modality, in ordinal order.</summary>
    public static async Task<IReadOnlyList<string>> ListShardsAsync(
        IBlobStore store, string space, Modality modality, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var files = new List<string>();
        await foreach (var path in store.ListAsync(Folder(space, modality), cancellationToken).ConfigureAwait(false))
        {
            if (path.EndsWith(".parquet", StringComparison.Ordinal))
            {
                files.Add(path);
            }
        }

        return files;
    }

    /// <summary>Reads every shard of one space and modality; an id seen again is skipped (the first row wins).</summary>
    /// <returns>The matrix, or null when the store has no shard of that space and modality.</returns>
    public static async Task<EmbeddingMatrix?> ReadAsync(
        IBlobStore store, string space, Modality modality, CancellationToken cancellationToken)
    {
        var shards = await ListShardsAsync(store, space, modality, cancellationToken).ConfigureAwait(false);
        return shards.Count == 0 ? null : await ReadShardsAsync(store, shards, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the given shard files, in order, into one matrix.</summary>
    /// <exception cref="InvalidDataException">The files disagree on the dimension.</exception>
    public static async Task<EmbeddingMatrix> ReadShardsAsync(
        IBlobStore store, IReadOnlyList<string> shards, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(shards);
        var ids = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var values = new List<float>();
        var dimension = 0;
        foreach (var path in shards)
        {
            await using var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
            await using var reader = await EmbeddingParquetReader.OpenAsync(stream, leaveOpen: true, cancellationToken)
                .ConfigureAwait(false);
            if (dimension != 0 && reader.Metadata.Dimension != dimension)
            {
                throw new InvalidDataException(
                    $"'{path}' has dimension {reader.Metadata.Dimension} but earlier shards have {dimension}: " +
                    "evaluate files of one space only.");
            }

            dimension = reader.Metadata.Dimension;
            await foreach (var row in reader.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (seen.Add(row.Id))
                {
                    ids.Add(row.Id);
                    values.AddRange(row.Embedding);
                }
            }
        }

        if (dimension == 0)
        {
            throw new InvalidDataException($"no embedding file among {shards.Count} paths could be read; check the paths.");
        }

        return new EmbeddingMatrix(ids, dimension, values.ToArray());
    }
}
