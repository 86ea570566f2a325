using FreeBind.Storage;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Finds which pseudo datasets an output root contains, so a training request for a missing bond
/// or data mode fails with one message that lists what exists and the command that builds the rest.
/// </summary>
public static class PseudoDatasetInventory
{
    /// <summary>
    /// Returns null when every requested data mode has a finished dataset (a <c>manifest.json</c>),
    /// and otherwise one message naming what is missing and how to fix it.
    /// </summary>
    /// <param name="store">The <c>--data</c> root.</param>
    /// <param name="bond">Requested bond.</param>
    /// <param name="expert">Expert of a parallel bond, or null.</param>
    /// <param name="modes">Requested data modes.</param>
    /// <param name="cancellationToken">Cancels listing the root.</param>
    public static async Task<string?> FindMissingAsync(
        IBlobStore store, string bond, string? expert, IReadOnlyList<string> modes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(modes);

        var missing = new List<string>();
        foreach (var mode in modes)
        {
            var manifest = PseudoLayout.Manifest(PseudoLayout.Folder(bond, expert, mode));
            if (!await store.ExistsAsync(manifest, cancellationToken).ConfigureAwait(false))
            {
                missing.Add(mode);
            }
        }

        if (missing.Count == 0)
        {
            return null;
        }

        var root = store.DisplayRoot;
        if (store is LocalBlobStore && !Directory.Exists(root))
        {
            return $"data folder '{root}' not found: pass the --output root of a freebind pseudo job to --data.";
        }

        var modesByBond = await ListAsync(store, cancellationToken).ConfigureAwait(false);
        var build = BuildCommand(bond, expert, missing, root);
        if (modesByBond.Count == 0)
        {
            return $"no pseudo datasets under '{root}/pseudo/': build them with: {build}";
        }

        var bondLabel = expert is null ? $"bond '{bond}'" : $"bond '{bond}' (expert '{expert}')";
        if (!modesByBond.TryGetValue(bond, out var existing))
        {
            var closest = Serialization.NameMatcher.Closest(bond, modesByBond.Keys);
            var suggestion = closest is null ? "" : $"; did you mean '{closest}'?";
            return $"{bondLabel} has no pseudo datasets under '{root}/pseudo/', which has datasets for bonds " +
                $"{string.Join(", ", modesByBond.Keys)}{suggestion} To build them for '{bond}': {build}";
        }

        return $"{bondLabel} has no pseudo dataset for data mode(s) {string.Join(", ", missing)} under '{root}/pseudo/' " +
            $"(it has {string.Join(", ", existing)}): build them with: {build}";
    }

    // Layout: pseudo/<bond>/<mode>/manifest.json or pseudo/<bond>/<expert>/<mode>/manifest.json.
    private static async Task<SortedDictionary<string, SortedSet<string>>> ListAsync(
        IBlobStore store, CancellationToken cancellationToken)
    {
        var modesByBond = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        await foreach (var path in store.ListAsync("pseudo/", cancellationToken).ConfigureAwait(false))
        {
            var parts = path.Split('/');
            if (parts.Length < 4 || parts[^1] != "manifest.json")
            {
                continue;
            }

            if (!modesByBond.TryGetValue(parts[1], out var modes))
            {
                modesByBond[parts[1]] = modes = new SortedSet<string>(StringComparer.Ordinal);
            }

            modes.Add(string.Join('/', parts[2..^1]));
        }

        return modesByBond;
    }

    private static string BuildCommand(string bond, string? expert, IReadOnlyList<string> modes, string root) =>
        $"freebind pseudo --bonds <bond file> --bond {bond}{(expert is null ? "" : $" --expert {expert}")} " +
        $"--embeddings <embed job output root> --modes {string.Join(",", modes)} --output {root}";
}
