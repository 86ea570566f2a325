using System.Text.Json;

using FreeBind.Bonds.Graph;
using FreeBind.Media;
using FreeBind.Storage;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreeBind.Training.Pseudo;

/// <summary>
/// Builds a bond's pseudo datasets from per-space embeddings: one set of part files and a
/// manifest per data mode under <c>pseudo/&lt;bond&gt;/&lt;mode&gt;/</c>.
/// </summary>
/// <remarks>
/// For a query whose modality both spaces embed, the pair is its two embeddings. Otherwise the
/// missing side is the softmax-weighted mean of its memory-bank neighbours' embeddings in that
/// space (see <see cref="PseudoEmbedding.WeightedMean"/>). Query shards are read one file at a
/// time; the bank is searched through <see cref="IMemoryBankSearcher"/>, so the same code runs in
/// one process or on a cluster.
/// </remarks>
/// <param name="embeddings">Output root of the embed job.</param>
/// <param name="output">Output root for the pseudo datasets.</param>
/// <param name="searcher">Searches the memory bank partitions.</param>
/// <param name="logger">Receives start, progress and end messages; null logs nothing.</param>
public sealed partial class PseudoDatasetBuilder(
    IBlobStore embeddings, IBlobStore output, IMemoryBankSearcher searcher, ILogger? logger = null)
{
    private static readonly Modality[] ModalityOrder = [Modality.Image, Modality.Text, Modality.Audio];

    private readonly ILogger log = logger ?? NullLogger.Instance;

    /// <summary>Builds every requested data mode and returns their manifests.</summary>
    /// <param name="bond">The bond and expert to build for.</param>
    /// <param name="modes">Data modes, each built once.</param>
    /// <param name="options">Retrieval and output settings.</param>
    /// <param name="onQueries">Called with the number of queries done so far, after each batch; may be null.</param>
    /// <param name="cancellationToken">Cancels the build; parts already written stay.</param>
    /// <exception cref="PseudoDatasetException">The bond, embeddings or options do not allow a dataset; the message names what to change.</exception>
    public async Task<IReadOnlyList<PseudoDatasetManifest>> BuildAsync(
        PseudoBond bond,
        IReadOnlyList<PseudoDataMode> modes,
        PseudoDatasetOptions options,
        Action<long>? onQueries,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bond);
        ArgumentNullException.ThrowIfNull(modes);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (modes.Count == 0)
        {
            throw new PseudoDatasetException("no data mode requested: pass --modes with one or more of mix, A, T, V, AT, AV, TV.");
        }

        modes = modes.DistinctBy(mode => mode.Name).ToList();
        LogStarted(bond.Name, bond.Source.Name, bond.Target.Name, string.Join(",", modes.Select(m => m.Name)));

        var queryFiles = await ListQueryFilesAsync(bond, modes, cancellationToken).ConfigureAwait(false);
        var banks = await PlanBanksAsync(bond, queryFiles.Keys, options, cancellationToken).ConfigureAwait(false);
        var selections = await SelectMixAsync(bond, modes, queryFiles, options, cancellationToken).ConfigureAwait(false);

        var writers = modes.Select(mode => new PseudoPartWriter(output, bond, mode, options)).ToList();
        long done = 0;
        foreach (var modality in ModalityOrder.Where(queryFiles.ContainsKey))
        {
            selections.TryGetValue(modality, out var selected);
            var index = 0;
            foreach (var file in queryFiles[modality])
            {
                var shard = await ReadQueryShardAsync(bond, modality, file, cancellationToken).ConfigureAwait(false);
                for (var start = 0; start < shard.Ids.Count; start += options.QueryBatchSize)
                {
                    var count = Math.Min(options.QueryBatchSize, shard.Ids.Count - start);
                    var pairs = await MakePairsAsync(bond, modality, shard, start, count, banks, options, cancellationToken).ConfigureAwait(false);
                    for (var i = 0; i < pairs.Length; i++, index++)
                    {
                        foreach (var writer in writers.Where(w => w.Mode.Includes(modality)))
                        {
                            if (!writer.Mode.Balanced || selected?[index] == true)
                            {
                                await writer.AppendAsync(pairs[i], cancellationToken).ConfigureAwait(false);
                            }
                        }
                    }

                    done += count;
                    onQueries?.Invoke(done);
                }
            }

            LogModalityDone(bond.Name, modality.ToName(), index);
        }

        var bankRows = banks.Values.ToDictionary(bank => bank.RetrievalSpace, bank => bank.RowCount);
        var manifests = new List<PseudoDatasetManifest>();
        foreach (var writer in writers)
        {
            manifests.Add(await writer.CompleteAsync(bankRows, cancellationToken).ConfigureAwait(false));
        }

        LogFinished(bond.Name, manifests.Sum(m => m.Rows), done);
        return manifests;
    }

    /// <summary>Finds the query shard files of every modality the modes read, failing on modalities no space embeds.</summary>
    private async Task<Dictionary<Modality, List<string>>> ListQueryFilesAsync(
        PseudoBond bond, IReadOnlyList<PseudoDataMode> modes, CancellationToken cancellationToken)
    {
        var files = new Dictionary<Modality, List<string>>();
        foreach (var modality in ModalityOrder.Where(m => modes.Any(mode => mode.Includes(m))))
        {
            var explicitly = modes.Where(mode => !mode.Balanced && mode.Includes(modality)).Select(mode => mode.Name).ToList();
            var primary = PrimarySpace(bond, modality);
            if (primary is null)
            {
                if (explicitly.Count > 0)
                {
                    throw new PseudoDatasetException(
                        $"data mode '{explicitly[0]}' needs {modality.ToName()} queries, but neither '{bond.Source.Name}' nor " +
                        $"'{bond.Target.Name}' embeds {modality.ToName()}: drop that mode from --modes.");
                }

                continue;
            }

            var list = await EmbeddingShardFiles.ListAsync(embeddings, primary.Name, modality, cancellationToken).ConfigureAwait(false);
            if (list.Count == 0 && explicitly.Count > 0)
            {
                throw new PseudoDatasetException(
                    $"data mode '{explicitly[0]}' needs {modality.ToName()} queries, but '{embeddings.DisplayRoot}/" +
                    $"{EmbeddingShardFiles.Folder(primary.Name, modality)}' holds no Parquet: run freebind embed on a " +
                    $"{modality.ToName()} corpus with space '{primary.Name}', or drop that mode.");
            }

            if (list.Count > 0)
            {
                files[modality] = list;
            }
        }

        if (files.Count == 0)
        {
            throw new PseudoDatasetException(
                $"no query embeddings of spaces '{bond.Source.Name}' or '{bond.Target.Name}' under '{embeddings.DisplayRoot}/embeddings/': " +
                "run freebind embed with those spaces first.");
        }

        return files;
    }

    /// <summary>Plans one bank per retrieval direction that the query modalities need.</summary>
    private async Task<Dictionary<PseudoSide, MemoryBankPlan>> PlanBanksAsync(
        PseudoBond bond, IEnumerable<Modality> modalities, PseudoDatasetOptions options, CancellationToken cancellationToken)
    {
        var banks = new Dictionary<PseudoSide, MemoryBankPlan>();
        foreach (var side in modalities.Select(m => SideOf(bond, m)).Where(s => s != PseudoSide.None).Distinct())
        {
            var (retrieval, value) = side == PseudoSide.Target ? (bond.Source, bond.Target) : (bond.Target, bond.Source);
            banks[side] = await MemoryBankPlanner.PlanAsync(
                embeddings, retrieval, value, options.BankModality, options.RowsPerPartition, cancellationToken).ConfigureAwait(false);
            LogBankPlanned(bond.Name, banks[side].Key, banks[side].RowCount, banks[side].Partitions.Count);
        }

        return banks;
    }

    /// <summary>
    /// For a <c>mix</c> mode, counts each modality's queries and picks the same number from each
    /// (the smallest count) with a seeded shuffle; returns a flag per query in read order.
    /// </summary>
    private async Task<Dictionary<Modality, bool[]>> SelectMixAsync(
        PseudoBond bond, IReadOnlyList<PseudoDataMode> modes, Dictionary<Modality, List<string>> queryFiles,
        PseudoDatasetOptions options, CancellationToken cancellationToken)
    {
        var selections = new Dictionary<Modality, bool[]>();
        var mix = modes.FirstOrDefault(mode => mode.Balanced);
        if (mix is null)
        {
            return selections;
        }

        var counts = new Dictionary<Modality, int>();
        foreach (var modality in mix.Modalities.Where(queryFiles.ContainsKey))
        {
            var count = 0;
            foreach (var file in queryFiles[modality])
            {
                count += (await ReadQueryShardAsync(bond, modality, file, cancellationToken).ConfigureAwait(false)).Ids.Count;
            }

            if (count > 0)
            {
                counts[modality] = count;
            }
        }

        if (counts.Count == 0)
        {
            throw new PseudoDatasetException($"data mode 'mix' has no usable queries under '{embeddings.DisplayRoot}/embeddings/'.");
        }

        var take = counts.Values.Min();
        foreach (var (modality, count) in counts)
        {
            var random = new Random(PseudoEmbedding.RowSeed(options.Seed, mix.Name, modality.ToName()));
            var order = Enumerable.Range(0, count).ToArray();
            random.Shuffle(order);
            var selected = new bool[count];
            foreach (var index in order.Take(take))
            {
                selected[index] = true;
            }

            selections[modality] = selected;
        }

        return selections;
    }

    /// <summary>Reads one query shard in the primary space and, when it embeds the modality too, the other space.</summary>
    private async Task<PseudoQueryShard> ReadQueryShardAsync(PseudoBond bond, Modality modality, string path, CancellationToken cancellationToken)
    {
        var primary = PrimarySpace(bond, modality)!;
        var (ids, vectors) = await EmbeddingShardFiles.ReadAsync(embeddings, path, primary.Name, primary.Dimension, cancellationToken).ConfigureAwait(false);
        Dictionary<string, float[]>? others = null;
        var otherSpace = SideOf(bond, modality) == PseudoSide.None ? bond.Target : null;
        if (otherSpace is not null)
        {
            others = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var otherPath = EmbeddingShardFiles.Counterpart(path, otherSpace.Name, modality);
            if (await embeddings.ExistsAsync(otherPath, cancellationToken).ConfigureAwait(false))
            {
                var (otherIds, otherVectors) = await EmbeddingShardFiles.ReadAsync(
                    embeddings, otherPath, otherSpace.Name, otherSpace.Dimension, cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < otherIds.Count; i++)
                {
                    others.TryAdd(otherIds[i], otherVectors[i]);
                }
            }
            else
            {
                LogCounterpartMissing(path, otherPath);
            }
        }

        var shard = new PseudoQueryShard([], [], others is null ? null : [], 0);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long skipped = 0;
        for (var i = 0; i < ids.Count; i++)
        {
            float[]? other = null;
            var usable = seen.Add(ids[i]) && EmbeddingShardFiles.IsFinite(vectors[i])
                && (others is null || (others.TryGetValue(ids[i], out other) && EmbeddingShardFiles.IsFinite(other)));
            if (!usable)
            {
                skipped++;
                continue;
            }

            shard.Ids.Add(ids[i]);
            shard.Primary.Add(vectors[i]);
            shard.Other?.Add(other!);
        }

        return shard with { Skipped = skipped };
    }

    /// <summary>Makes the pairs of queries [start, start + count) of a shard, searching the bank when one side is pseudo.</summary>
    private async Task<PseudoPairRow[]> MakePairsAsync(
        PseudoBond bond, Modality modality, PseudoQueryShard shard, int start, int count,
        Dictionary<PseudoSide, MemoryBankPlan> banks, PseudoDatasetOptions options, CancellationToken cancellationToken)
    {
        var side = SideOf(bond, modality);
        MemoryBankNeighbour[][]? neighbours = null;
        if (side != PseudoSide.None)
        {
            var bank = banks[side];
            var dimension = PrimarySpace(bond, modality)!.Dimension;
            var queries = new float[count * dimension];
            for (var i = 0; i < count; i++)
            {
                shard.Primary[start + i].CopyTo(queries, i * dimension);
            }

            neighbours = await searcher.SearchAsync(bank, queries, count, options.K, cancellationToken).ConfigureAwait(false);
        }

        var pairs = new PseudoPairRow[count];
        for (var i = 0; i < count; i++)
        {
            var id = shard.Ids[start + i];
            var real = shard.Primary[start + i];
            float[] source;
            float[] target;
            switch (side)
            {
                case PseudoSide.None:
                    (source, target) = (real, shard.Other![start + i]);
                    break;
                default:
                    if (neighbours![i].Length == 0)
                    {
                        throw new PseudoDatasetException(
                            $"query '{id}' found no memory-bank neighbours: every bank item of '{banks[side].Key}' lacks a finite " +
                            "embedding in one of the spaces; check the bank's embeddings.");
                    }

                    var pseudo = PseudoEmbedding.WeightedMean(neighbours[i], options.Temperature);
                    (source, target) = side == PseudoSide.Target ? (real, pseudo) : (pseudo, real);
                    break;
            }

            pairs[i] = new PseudoPairRow(
                id,
                modality,
                PseudoEmbedding.AddNoise(source, options.Noise, options.Seed, modality, id),
                PseudoEmbedding.AddNoise(target, 0f, options.Seed, modality, id),
                side);
        }

        return pairs;
    }

    /// <summary>Returns the space the query embeddings come from: the source space when it embeds the modality, else the target space, else null.</summary>
    private static BondSpaceSpec? PrimarySpace(PseudoBond bond, Modality modality) =>
        bond.Source.Covers(modality) ? bond.Source : bond.Target.Covers(modality) ? bond.Target : null;

    /// <summary>Returns which side of a pair of this modality is pseudo.</summary>
    private static PseudoSide SideOf(PseudoBond bond, Modality modality) =>
        (bond.Source.Covers(modality), bond.Target.Covers(modality)) switch
        {
            (true, true) => PseudoSide.None,
            (true, false) => PseudoSide.Target,
            _ => PseudoSide.Source,
        };

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
        Message = "Pseudo dataset for bond {Bond} started: source {SourceSpace}, target {TargetSpace}, modes {Modes}")]
    private partial void LogStarted(string bond, string sourceSpace, string targetSpace, string modes);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information,
        Message = "Pseudo dataset for bond {Bond}: bank {Bank} has {Rows} rows in {Partitions} partition(s)")]
    private partial void LogBankPlanned(string bond, string bank, long rows, int partitions);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Information,
        Message = "Pseudo dataset for bond {Bond}: {Count} {Modality} queries done")]
    private partial void LogModalityDone(string bond, string modality, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information,
        Message = "Pseudo dataset for bond {Bond} finished: {Rows} rows written from {Queries} queries")]
    private partial void LogFinished(string bond, long rows, long queries);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Warning,
        Message = "Query shard {Path} has no counterpart {CounterpartPath}; its queries are skipped")]
    private partial void LogCounterpartMissing(string path, string counterpartPath);

    /// <summary>Buffers one data mode's rows and writes a part file each time a part is full.</summary>
    private sealed class PseudoPartWriter(IBlobStore output, PseudoBond bond, PseudoDataMode mode, PseudoDatasetOptions options)
    {
        private readonly List<PseudoPairRow> pending = [];
        private readonly List<string> parts = [];
        private readonly Dictionary<string, long> rowsByModality = new(StringComparer.Ordinal);
        private long rows;
        private long pseudoRows;

        public PseudoDataMode Mode => mode;

        private string Folder => bond.Folder(mode.Name);

        public async Task AppendAsync(PseudoPairRow row, CancellationToken cancellationToken)
        {
            pending.Add(row);
            rows++;
            pseudoRows += row.PseudoSide == PseudoSide.None ? 0 : 1;
            var name = row.QueryModality.ToName();
            rowsByModality[name] = rowsByModality.GetValueOrDefault(name) + 1;
            if (pending.Count >= options.RowsPerPart)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task<PseudoDatasetManifest> CompleteAsync(IReadOnlyDictionary<string, long> bankRows, CancellationToken cancellationToken)
        {
            if (rows == 0)
            {
                throw new PseudoDatasetException(
                    $"data mode '{mode.Name}' produced no pairs: no query of {string.Join(", ", mode.Modalities.Select(m => m.ToName()))} " +
                    "has usable embeddings in every space that embeds it; check the embed job's errors.");
            }

            await FlushAsync(cancellationToken).ConfigureAwait(false);
            var manifest = new PseudoDatasetManifest
            {
                Bond = bond.Name,
                Kind = bond.Kind.ToString().ToLowerInvariant(),
                UnifiedSpace = bond.Unified.Name,
                ExpertSpace = bond.Expert.Name,
                SourceSpace = bond.Source.Name,
                TargetSpace = bond.Target.Name,
                SourceDimension = bond.Source.Dimension,
                TargetDimension = bond.Target.Dimension,
                DataMode = mode.Name,
                K = options.K,
                Temperature = options.Temperature,
                Noise = options.Noise,
                Seed = options.Seed,
                BankModality = options.BankModality.ToName(),
                BankRows = bankRows,
                Rows = rows,
                RowsByModality = rowsByModality,
                PseudoRows = pseudoRows,
                Parts = parts,
                FreeBindVersion = ParquetColumns.FreeBindVersion,
            };
            await output.WriteAsync(
                PseudoLayout.Manifest(Folder),
                (stream, token) => JsonSerializer.SerializeAsync(stream, manifest, PseudoDatasetManifest.JsonOptions, token),
                cancellationToken).ConfigureAwait(false);
            return manifest;
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (pending.Count == 0)
            {
                return;
            }

            var path = PseudoLayout.Part(Folder, parts.Count);
            var metadata = new PseudoPairFileMetadata(
                bond.Name, bond.Source.Name, bond.Target.Name, bond.Source.Dimension, bond.Target.Dimension, mode.Name);
            var rowsToWrite = pending.ToList();
            await output.WriteAsync(
                path,
                (stream, token) => PseudoPairParquetWriter.WriteAsync(stream, metadata, rowsToWrite, token),
                cancellationToken).ConfigureAwait(false);
            parts.Add(path[Folder.Length..]);
            pending.Clear();
        }
    }
}
