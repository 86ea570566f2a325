using System.Collections.Concurrent;
using System.Text;

namespace FreeBind.Text;

/// <summary>
/// Byte-level byte-pair encoding as GPT-2 and CLIP define it: each UTF-8 byte of a piece maps to
/// one printable character, then ranked merges join adjacent symbols, lowest rank first.
/// </summary>
/// <remarks>
/// Thread-safe: the vocabulary and merges never change after construction, and the cache of
/// encoded pieces is a <see cref="ConcurrentDictionary{TKey, TValue}"/>.
/// </remarks>
internal sealed class ByteLevelBpe
{
    // Bounds the memory that a stream of distinct words (ids, hashes, typos) can pin in the cache.
    private const int MaxCacheEntries = 100_000;

    private static readonly char[] ByteToChar = BuildByteToChar();

    private readonly Dictionary<string, int> _vocab;
    private readonly Dictionary<(string Left, string Right), int> _ranks;
    private readonly string? _endOfWordSuffix;
    private readonly int? _unknownId;
    // Keyed by the piece as it appears in the text, so a hit needs no allocation.
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private int _cacheCount;

    /// <summary>Creates the encoder from a vocabulary and merges in rank order.</summary>
    /// <param name="vocab">Token to id.</param>
    /// <param name="merges">Merge rules, highest priority first.</param>
    /// <param name="endOfWordSuffix">Suffix added to the last symbol of each piece ("&lt;/w&gt;" for CLIP), or null.</param>
    /// <param name="unknownId">Id for a symbol that the vocabulary lacks, or null to throw.</param>
    public ByteLevelBpe(
        Dictionary<string, int> vocab,
        IReadOnlyList<(string Left, string Right)> merges,
        string? endOfWordSuffix,
        int? unknownId)
    {
        _vocab = vocab;
        _endOfWordSuffix = endOfWordSuffix;
        _unknownId = unknownId;
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        _ranks = new Dictionary<(string, string), int>(merges.Count);
        for (var rank = 0; rank < merges.Count; rank++)
        {
            _ranks.TryAdd(merges[rank], rank);
        }
    }

    /// <summary>Printable stand-ins for the 256 byte values, in GPT-2's order.</summary>
    /// <remarks>
    /// Bytes 33-126, 161-172 and 174-255 stand for themselves. The other 68 bytes, in ascending
    /// order, map to U+0100 onwards. Vocabularies built from merges alone list the characters in
    /// this order: first the bytes that stand for themselves, then the others.
    /// </remarks>
    public static IReadOnlyList<char> ByteCharacters => ByteToChar;

    /// <summary>Byte values in vocabulary order: the ones that stand for themselves, then the rest.</summary>
    public static IEnumerable<int> BytesInVocabularyOrder()
    {
        var printable = Enumerable.Range(33, 94).Concat(Enumerable.Range(161, 12)).Concat(Enumerable.Range(174, 82));
        var set = printable.ToHashSet();
        return printable.Concat(Enumerable.Range(0, 256).Where(b => !set.Contains(b)));
    }

    /// <summary>Appends the ids of one pre-tokenized piece of text.</summary>
    /// <exception cref="KeyNotFoundException">A symbol is missing from the vocabulary and no unknown id is set.</exception>
    public void Encode(ReadOnlySpan<char> piece, List<int> ids)
    {
        if (!_cacheBySpan.TryGetValue(piece, out var pieceIds))
        {
            pieceIds = ToIds(Merge(MapBytes(piece)));
            if (_cacheCount < MaxCacheEntries && _cacheBySpan.TryAdd(piece, pieceIds))
            {
                Interlocked.Increment(ref _cacheCount);
            }
        }

        ids.AddRange(pieceIds);
    }

    private static string MapBytes(ReadOnlySpan<char> piece)
    {
        Span<byte> bytes = piece.Length <= 256 ? stackalloc byte[piece.Length * 3] : new byte[piece.Length * 3];
        var count = Encoding.UTF8.GetBytes(piece, bytes);
        Span<char> chars = count <= 768 ? stackalloc char[count] : new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = ByteToChar[bytes[i]];
        }

        return new string(chars);
    }

    private List<string> Merge(string mapped)
    {
        var symbols = new List<string>(mapped.Length);
        foreach (var c in mapped)
        {
            symbols.Add(c.ToString());
        }

        if (_endOfWordSuffix is not null)
        {
            symbols[^1] += _endOfWordSuffix;
        }

        while (symbols.Count > 1)
        {
            var bestRank = int.MaxValue;
            (string Left, string Right) best = default;
            for (var i = 0; i + 1 < symbols.Count; i++)
            {
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                {
                    bestRank = rank;
                    best = (symbols[i], symbols[i + 1]);
                }
            }

            if (bestRank == int.MaxValue)
            {
                break;
            }

            // Join every occurrence of the best pair, scanning left to right without overlap.
            var merged = new List<string>(symbols.Count);
            for (var i = 0; i < symbols.Count; i++)
            {
                if (i + 1 < symbols.Count && symbols[i] == best.Left && symbols[i + 1] == best.Right)
                {
                    merged.Add(best.Left + best.Right);
                    i++;
                }
                else
                {
                    merged.Add(symbols[i]);
                }
            }

            symbols = merged;
        }

        return symbols;
    }

    private int[] ToIds(List<string> symbols)
    {
        var ids = new int[symbols.Count];
        for (var i = 0; i < symbols.Count; i++)
        {
            if (_vocab.TryGetValue(symbols[i], out var id))
            {
                ids[i] = id;
            }
            else if (_unknownId is int unknown)
            {
                ids[i] = unknown;
            }
            else
            {
                throw new KeyNotFoundException(
                    $"BPE symbol '{symbols[i]}' is not in the vocabulary and the vocabulary has no unknown token");
            }
        }

        return ids;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        var next = 256;
        var printable = new HashSet<int>(BytesInVocabularyOrder().Take(188));
        for (var b = 0; b < 256; b++)
        {
            table[b] = printable.Contains(b) ? (char)b : (char)next++;
        }

        return table;
    }
}
