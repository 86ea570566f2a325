using FreeBind.Media;
using FreeBind.Storage;

namespace FreeBind.Training.Pseudo;

/// <summary>Lists and reads the per-space embeddings Parquet that <c>freebind embed</c> writes.</summary>
/// <remarks>
/// An embed job writes shard N of every space to a file of the same name, so the same item sits in
/// same-named files of two spaces. Lookups across spaces rely on that and read one shard file at
/// a time, which bounds memory by the shard size.
/// </remarks>
internal static class EmbeddingShardFiles
{
    /// <summary>Returns the folder of one space and modality, e.g. <c>embeddings/clap/text/</c>.</summary>
    public static string Folder(string space, Modality modality) => $"embeddings/{space}/{modality.ToName()}/";

    /// <summary>Lists the Parquet files of one space and modality in ordinal path order.</summary>
    public static async Task<List<string>> ListAsync(IBlobStore store, string space, Modality modality, CancellationToken cancellationToken)
    {
        var paths = new List<string>();
        await foreach (var path in store.ListAsync(Folder(space, modality), cancellationToken).ConfigureAwait(false))
        {
            if (path.EndsWith(".parquet", StringComparison.Ordinal) && !path[Folder(space, modality).Length..].Contains('/'))
            {
                paths.Add(path);
            }
        }

        paths.Sort(StringComparer.Ordinal);
        return paths;
    }

    /// <summary>Returns the path of the same-named shard file in another space.</summary>
    public static string Counterpart(string path, string space, Modality modality) =>
        Folder(space, modality) + path[(path.LastIndexOf('/') + 1)..];

    /// <summary>Opens a file and checks that it declares <paramref name="dimension"/>.</summary>
    /// <exception cref="PseudoDatasetException">The file's dimension differs from the bond file's.</exception>
    public static async Task<EmbeddingParquetReader> OpenAsync(
        IBlobStore store, string path, string space, int dimension, CancellationToken cancellationToken)
    {
        var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        EmbeddingParquetReader reader;
        try
        {
            reader = await EmbeddingParquetReader.OpenAsync(stream, leaveOpen: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        if (reader.Metadata.Dimension != dimension)
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw new PseudoDatasetException(
                $"'{path}' under '{store.DisplayRoot}' has dimension {reader.Metadata.Dimension}, but the bond file declares space " +
                $"'{space}' with dimension {dimension}: fix the bond file's \"dimension\" or embed with the matching model.");
        }

        return reader;
    }

    /// <summary>Reads a whole shard file: ids and embeddings in file order.</summary>
    public static async Task<(List<string> Ids, List<float[]> Vectors)> ReadAsync(
        IBlobStore store, string path, string space, int dimension, CancellationToken cancellationToken)
    {
        var reader = await OpenAsync(store, path, space, dimension, cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var ids = new List<string>();
            var vectors = new List<float[]>();
            await foreach (var row in reader.ReadRowsAsync(cancellationToken).ConfigureAwait(false))
            {
                ids.Add(row.Id);
                vectors.Add(row.Embedding);
            }

            return (ids, vectors);
        }
    }

    /// <summary>Returns true when every value is finite, so the vector can be compared and averaged.</summary>
    public static bool IsFinite(ReadOnlySpan<float> vector)
    {
        foreach (var value in vector)
        {
            if (!float.IsFinite(value))
            {
                return false;
            }
        }

        return true;
    }
}
