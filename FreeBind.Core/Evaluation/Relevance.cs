namespace FreeBind.Evaluation;

/// <summary>Builds the correct gallery ids of each query.</summary>
public static class Relevance
{
    /// <summary>
    /// Returns, per query, the gallery ids that share a group with it (see
    /// <see cref="EvaluationLabels.GroupsOf"/>): the same labels, or the same id for unlabelled items.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<string>> ByGroups(
        IReadOnlyList<string> queryIds, IReadOnlyList<string> galleryIds, EvaluationLabels labels)
    {
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentNullException.ThrowIfNull(galleryIds);
        ArgumentNullException.ThrowIfNull(labels);
        var members = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var id in galleryIds)
        {
            foreach (var group in labels.GroupsOf(id))
            {
                if (!members.TryGetValue(group, out var list))
                {
                    members[group] = list = [];
                }

                list.Add(id);
            }
        }

        var result = new IReadOnlyList<string>[queryIds.Count];
        for (var q = 0; q < queryIds.Count; q++)
        {
            var groups = labels.GroupsOf(queryIds[q]);
            result[q] = groups.Count == 1
                ? members.GetValueOrDefault(groups[0]) ?? []
                : groups.SelectMany(g => members.GetValueOrDefault(g) ?? []).Distinct(StringComparer.Ordinal).ToList();
        }

        return result;
    }
}
