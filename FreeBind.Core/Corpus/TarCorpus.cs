using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>One tar shard: the location stored in media references and how to read it.</summary>
/// <param name="Location">Full local path, or blob URI without its query.</param>
/// <param name="Source">The folder or store that holds the tar.</param>
/// <param name="Path">The tar's path inside <paramref name="Source"/>.</param>
internal sealed record TarFile(string Location, IFileSource Source, string Path)
{
    /// <summary>The file name, used in sources such as <c>shard-0001.tar#x.jpg</c>.</summary>
    public string Name => Location[(Location.LastIndexOf('/') + 1)..];
}

/// <summary>
/// WebDataset tar shards as img2dataset and clip-retrieval write them. Members whose key (the
/// path up to the first '.' of the last segment) matches form one entry, e.g. <c>0001.jpg</c>,
/// <c>0001.txt</c> and <c>0001.json</c> form entry <c>0001</c>. Only consecutive members are
/// grouped, as WebDataset does; a key that comes back later is reported as a duplicate id.
/// </summary>
/// <remarks>
/// A hard link member, and a symbolic link to another member, read the data of the file they
/// point to, which must come earlier in the same tar. Planning keeps the names of one tar's
/// files in memory for that. Any other link, and devices and named pipes with a mapped
/// extension, become issues.
/// </remarks>
internal sealed class TarCorpus(string input, IReadOnlyList<TarFile> tars, CorpusOptions options) : ICorpus
{
    private readonly Dictionary<string, TarFile> tarsByLocation =
        tars.DistinctBy(tar => tar.Location, StringComparer.Ordinal).ToDictionary(tar => tar.Location, StringComparer.Ordinal);

    public string Input { get; } = input;

    public async Task<string> ComputeFingerprintAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tar in tars)
        {
            var stamp = await tar.Source.GetStampAsync(tar.Path, cancellationToken).ConfigureAwait(false);
            var line = $"{tar.Location}\t{stamp.Size}\t{stamp.LastModified?.UtcTicks}\n";
            hash.AppendData(Encoding.UTF8.GetBytes(line));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public IAsyncEnumerable<CorpusShard> PlanShardsAsync(int shardSize, CancellationToken cancellationToken) =>
        ShardPlanner.PlanAsync(PlanItemsAsync(cancellationToken), shardSize, cancellationToken);

    public async Task<ReadOnlyMemory<byte>> ReadAsync(MediaReference media, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(media);
        if (media.InlineText is { } text)
        {
            return Encoding.UTF8.GetBytes(text);
        }

        if (media.Location is null
            || media.Offset is not { } offset
            || media.Length is not { } length
            || !tarsByLocation.TryGetValue(media.Location, out var tar))
        {
            throw new MediaException("read", $"media '{media.Source}' is not a member of a tar of corpus '{Input}'");
        }

        if (length > Array.MaxLength)
        {
            throw new MediaException("read",
                $"tar member '{media.Source}' is {length} bytes, too long to read: members of at most "
                + $"{Array.MaxLength} bytes (about 2 GiB) are read; shrink or split the file");
        }

        byte[] data;
        try
        {
            data = await tar.Source.ReadRangeAsync(tar.Path, offset, length, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException exception)
        {
            throw new MediaException("read", $"tar member '{media.Source}' could not be read: {exception.Message}", exception);
        }

        if (data.Length != length)
        {
            throw new MediaException("read",
                $"tar '{tar.Location}' ends {length - data.Length} bytes before the end of member '{media.Source}': "
                + "the tar changed after planning; plan the corpus again");
        }

        return data;
    }

    private async IAsyncEnumerable<PlanItem> PlanItemsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var ids = new IdSet();
        foreach (var tar in tars)
        {
            var group = new MemberGroup(tar);
            var files = new Dictionary<string, TarMember>(StringComparer.Ordinal);
            var reader = await tar.Source.OpenRangeReaderAsync(tar.Path, cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                await foreach (var item in TarScanner.ScanAsync(reader, cancellationToken).ConfigureAwait(false))
                {
                    if (item.Member is not { } member)
                    {
                        foreach (var planned in group.Close(ids))
                        {
                            yield return planned;
                        }

                        var keptNote = item.DamageOffset == 0
                            ? ""
                            : $"; the entries before offset {item.DamageOffset} are kept, recreate the tar to embed the rest";
                        yield return PlanItem.Of(new CorpusIssue(tar.Name, $"{tar.Name}@{item.DamageOffset}",
                            $"tar '{tar.Location}' is damaged: {item.Damage}{keptNote}"));
                        continue;
                    }

                    var (file, problem) = ResolveFile(tar, member, files);
                    if (file is not null)
                    {
                        files[member.Name] = file;
                    }

                    var (key, extension) = SplitKey(member.Name);
                    if (key is null)
                    {
                        continue;
                    }

                    if (key != group.Key)
                    {
                        foreach (var planned in group.Close(ids))
                        {
                            yield return planned;
                        }

                        group = new MemberGroup(tar) { Key = key };
                    }

                    if (ModalityOf(extension) is { } modality && options.Modalities.Contains(modality))
                    {
                        if (file is not null)
                        {
                            group.Add(member.Name, file, modality);
                        }
                        else
                        {
                            group.AddIssue(member.Name, problem!);
                        }
                    }
                }
            }

            foreach (var planned in group.Close(ids))
            {
                yield return planned;
            }
        }
    }

    /// <summary>
    /// Returns the member whose data <paramref name="member"/> reads: itself for a regular file,
    /// the earlier file it points to for a link. Otherwise returns null and what is wrong.
    /// </summary>
    private static (TarMember? File, string? Problem) ResolveFile(
        TarFile tar, TarMember member, Dictionary<string, TarMember> files)
    {
        if (member.IsFile)
        {
            return (member, null);
        }

        var source = $"{tar.Name}#{member.Name}";
        if (member.Type is not ('1' or '2'))
        {
            var kind = member.Type switch
            {
                '3' => "character device",
                '4' => "block device",
                '6' => "named pipe",
                _ => $"member of tar type '{member.Type}'",
            };
            return (null, $"member '{source}' is a {kind}, not a file, so it has no data to read: "
                + "recreate the tar without it");
        }

        // A hard link names another member by its path in the tar. A symbolic link names a path
        // relative to the link's own folder, like a link on disk.
        var linkName = member.LinkName ?? string.Empty;
        var folderEnd = member.Name.LastIndexOf('/') + 1;
        var path = member.Type == '1' ? TarScanner.StripDotSlash(linkName) : member.Name[..folderEnd] + linkName;
        var target = CorpusPaths.NormalizeRelative(path, backslashIsSeparator: false);
        if (target is not null && files.TryGetValue(target, out var file))
        {
            return (file, null);
        }

        var (what, option) = member.Type == '1'
            ? ("hard link", "--hard-dereference")
            : ("symbolic link", "--dereference");
        var where = target is null ? "outside the tar" : $"not to an earlier file of tar '{tar.Location}'";
        return (null, $"member '{source}' is a {what} to '{linkName}', {where}, so it has no data to read: "
            + $"recreate the tar with GNU tar's {option} option, which stores the data itself");
    }

    /// <summary>Maps a WebDataset extension such as <c>jpg</c> or <c>seg.png</c> (then its last
    /// part) to a modality.</summary>
    private Modality? ModalityOf(string extension)
    {
        var last = extension[(extension.LastIndexOf('.') + 1)..];
        return options.ModalityOf(extension) ?? options.ModalityOf(last);
    }

    /// <summary>
    /// Splits a member name into key and extension at the first '.' of its last segment. Returns a
    /// null key for names with no extension and for hidden names such as <c>._x.jpg</c>.
    /// </summary>
    internal static (string? Key, string Extension) SplitKey(string name)
    {
        var slash = name.LastIndexOf('/');
        var dot = name.IndexOf('.', slash + 1);
        if (dot <= slash + 1)
        {
            return (null, string.Empty);
        }

        return (name[..dot], name[(dot + 1)..]);
    }

    /// <summary>Consecutive members that share a key.</summary>
    private sealed class MemberGroup(TarFile tar)
    {
        private readonly List<MediaReference> media = [];
        private readonly List<CorpusIssue> issues = [];

        public string? Key { get; init; }

        /// <summary>Adds the member <paramref name="name"/>, whose data lies at <paramref name="file"/>
        /// (itself, or the file a link points to).</summary>
        public void Add(string name, TarMember file, Modality modality)
        {
            var source = $"{tar.Name}#{name}";
            var first = media.Find(reference => reference.Modality == modality);
            if (first is not null)
            {
                issues.Add(new CorpusIssue(Key!, source,
                    $"entry '{Key}' has a second {modality.ToName()} member '{source}'; only '{first.Source}' is used: "
                    + "remove one of them from the tar"));
                return;
            }

            media.Add(new MediaReference(modality, tar.Location, Offset: file.DataOffset, Length: file.Length)
            {
                Source = source,
            });
        }

        /// <summary>Records a member that has no data to read.</summary>
        public void AddIssue(string name, string message) =>
            issues.Add(new CorpusIssue(Key!, $"{tar.Name}#{name}", message));

        public IEnumerable<PlanItem> Close(IdSet ids)
        {
            if (Key is null)
            {
                yield break;
            }

            // A group whose members all lack data has no entry, but its issues are still reported.
            if (media.Count > 0 && ids.Add(Key))
            {
                yield return PlanItem.Of(new CorpusEntry(Key, media.ToArray()));
            }
            else if (media.Count > 0)
            {
                yield return PlanItem.Of(new CorpusIssue(Key, media[0].Source,
                    $"duplicate id '{Key}': the first entry with it is used, this one is skipped; give each sample a unique key"));
            }

            foreach (var issue in issues)
            {
                yield return PlanItem.Of(issue);
            }

            media.Clear();
            issues.Clear();
        }
    }
}
