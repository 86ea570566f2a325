using System.Runtime.CompilerServices;
using System.Text.Json;

using FreeBind.Storage;

namespace FreeBind.Training.Pseudo;

/// <summary>Streams the (source, target) batches of one data mode's pseudo dataset, one part file at a time.</summary>
public sealed class PseudoDatasetReader
{
    private readonly IBlobStore store;

    private readonly string folder;

    private PseudoDatasetReader(IBlobStore store, string folder, PseudoDatasetManifest manifest)
    {
        this.store = store;
        this.folder = folder;
        Manifest = manifest;
    }

    /// <summary>The dataset's manifest: spaces, dimensions, retrieval settings and counts.</summary>
    public PseudoDatasetManifest Manifest { get; }

    /// <summary>Opens a dataset by reading <c>manifest.json</c> in <paramref name="folder"/>.</summary>
    /// <param name="store">Output root the dataset was written to.</param>
    /// <param name="folder">The data mode's folder, e.g. <see cref="PseudoBond.Folder"/> or <c>pseudo/c-clap/mix/</c>.</param>
    /// <param name="cancellationToken">Cancels reading the manifest.</param>
    /// <exception cref="PseudoDatasetException">The folder has no manifest, so the dataset is missing or unfinished.</exception>
    public static async Task<PseudoDatasetReader> OpenAsync(IBlobStore store, string folder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(folder);

        var normalized = folder.EndsWith('/') ? folder : folder + "/";
        var path = PseudoLayout.Manifest(normalized);
        if (!await store.ExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            throw new PseudoDatasetException(
                $"no pseudo dataset at '{store.DisplayRoot}/{normalized}': '{path}' is missing; run freebind pseudo for that bond and data mode.");
        }

        var stream = await store.OpenReadAsync(path, cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var manifest = await JsonSerializer.DeserializeAsync<PseudoDatasetManifest>(stream, PseudoDatasetManifest.JsonOptions, cancellationToken).ConfigureAwait(false)
                ?? throw new PseudoDatasetException($"'{path}' under '{store.DisplayRoot}' is empty; run freebind pseudo again.");
            return new PseudoDatasetReader(store, normalized, manifest);
        }
    }

    /// <summary>Streams every pair in file order, in batches of at most <paramref name="batchSize"/> rows.</summary>
    /// <remarks>Memory use is one row group of one part plus one batch.</remarks>
    public async IAsyncEnumerable<PseudoPairBatch> ReadBatchesAsync(int batchSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);

        foreach (var part in Manifest.Parts)
        {
            var stream = await store.OpenReadAsync(folder + part, cancellationToken).ConfigureAwait(false);
            var reader = await PseudoPairParquetReader.OpenAsync(stream, leaveOpen: false, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                for (var group = 0; group < reader.RowGroupCount; group++)
                {
                    var rows = await reader.ReadRowGroupAsync(group, cancellationToken).ConfigureAwait(false);
                    for (var start = 0; start < rows.Count; start += batchSize)
                    {
                        yield return Slice(rows, start, Math.Min(batchSize, rows.Count - start));
                    }
                }
            }
        }
    }

    private static PseudoPairBatch Slice(PseudoPairBatch rows, int start, int count)
    {
        if (start == 0 && count == rows.Count)
        {
            return rows;
        }

        return new PseudoPairBatch
        {
            QueryIds = rows.QueryIds.Skip(start).Take(count).ToArray(),
            QueryModalities = rows.QueryModalities.Skip(start).Take(count).ToArray(),
            DataModes = rows.DataModes.Skip(start).Take(count).ToArray(),
            Source = rows.Source.AsSpan(start * rows.SourceDimension, count * rows.SourceDimension).ToArray(),
            Target = rows.Target.AsSpan(start * rows.TargetDimension, count * rows.TargetDimension).ToArray(),
            SourceDimension = rows.SourceDimension,
            TargetDimension = rows.TargetDimension,
        };
    }
}
