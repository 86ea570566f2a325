using System.Text;
using System.Text.Json;

using FreeBind.Text;

namespace FreeBind.Demo;

/// <summary>
/// Small byte-level BPE vocabularies for the demo world, in CLIP's and RoBERTa's file formats,
/// in which every word of <see cref="DemoLexicon"/> is one token.
/// </summary>
/// <remarks>
/// The merges come from BPE training on the lexicon (most frequent adjacent pair first, ties in
/// ordinal order) until every word is one symbol, so the project's own tokenizers read them
/// like any released vocab.json and merges.txt.
/// </remarks>
internal sealed class DemoTokenizerFiles
{
    /// <summary>GPT-2's stand-in for a leading space byte.</summary>
    private const string SpaceCharacter = "\u0120";

    private DemoTokenizerFiles(Dictionary<string, int> vocab, List<(string Left, string Right)> merges, Dictionary<string, int[]> wordIds)
    {
        Vocab = vocab;
        Merges = merges;
        WordIds = wordIds;
    }

    public Dictionary<string, int> Vocab { get; }

    public List<(string Left, string Right)> Merges { get; }

    /// <summary>Token ids that each lexicon word can have: one for CLIP, with and without a leading space for RoBERTa.</summary>
    public Dictionary<string, int[]> WordIds { get; }

    public int VocabularySize => Vocab.Values.Max() + 1;

    /// <summary>Builds CLIP-style files: "&lt;/w&gt;" ends each word, ids follow CLIP's vocabulary layout.</summary>
    public static DemoTokenizerFiles BuildClip()
    {
        var words = DemoLexicon.AllWords();
        var merges = Train(words.Select(word => Symbols(word, null, ClipTextTokenizer.EndOfWordSuffix)));
        var vocab = BpeFiles.BuildClipVocab(merges);
        var wordIds = words.ToDictionary(word => word, word => new[] { vocab[word + ClipTextTokenizer.EndOfWordSuffix] }, StringComparer.Ordinal);
        return new DemoTokenizerFiles(vocab, merges, wordIds);
    }

    /// <summary>Builds RoBERTa-style files: &lt;s&gt; 0, &lt;pad&gt; 1, &lt;/s&gt; 2, &lt;unk&gt; 3, then bytes and merges.</summary>
    public static DemoTokenizerFiles BuildRoberta()
    {
        var words = DemoLexicon.AllWords();
        var merges = Train(words.SelectMany(word => new[] { Symbols(word, null, null), Symbols(word, SpaceCharacter, null) }));

        var vocab = new Dictionary<string, int>(StringComparer.Ordinal) { ["<s>"] = 0, ["<pad>"] = 1, ["</s>"] = 2, ["<unk>"] = 3 };
        foreach (var b in ByteLevelBpe.BytesInVocabularyOrder())
        {
            vocab.TryAdd(ByteLevelBpe.ByteCharacters[b].ToString(), vocab.Count);
        }

        foreach (var (left, right) in merges)
        {
            vocab.TryAdd(left + right, vocab.Count);
        }

        var wordIds = words.ToDictionary(word => word, word => new[] { vocab[word], vocab[SpaceCharacter + word] }, StringComparer.Ordinal);
        return new DemoTokenizerFiles(vocab, merges, wordIds);
    }

    /// <summary>Writes vocab.json and merges.txt into <paramref name="folder"/>.</summary>
    public void Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "vocab.json"), JsonSerializer.SerializeToUtf8Bytes(Vocab));

        var text = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in Merges)
        {
            text.Append(left).Append(' ').Append(right).Append('\n');
        }

        File.WriteAllText(Path.Combine(folder, "merges.txt"), text.ToString(), new UTF8Encoding(false));
    }

    private static List<string> Symbols(string word, string? prefix, string? suffix)
    {
        var symbols = new List<string>();
        if (prefix is not null)
        {
            symbols.Add(prefix);
        }

        symbols.AddRange(word.Select(c => c.ToString()));
        if (suffix is not null)
        {
            symbols[^1] += suffix;
        }

        return symbols;
    }

    private static List<(string Left, string Right)> Train(IEnumerable<List<string>> corpus)
    {
        var words = corpus.ToList();
        var merges = new List<(string, string)>();
        while (true)
        {
            var counts = new Dictionary<(string Left, string Right), int>();
            foreach (var word in words)
            {
                for (var i = 0; i + 1 < word.Count; i++)
                {
                    var pair = (word[i], word[i + 1]);
                    counts[pair] = counts.GetValueOrDefault(pair) + 1;
                }
            }

            if (counts.Count == 0)
            {
                return merges;
            }

            var best = counts
                .OrderByDescending(pair => pair.Value)
                .ThenBy(pair => pair.Key.Left, StringComparer.Ordinal)
                .ThenBy(pair => pair.Key.Right, StringComparer.Ordinal)
                .First().Key;
            merges.Add(best);

            foreach (var word in words)
            {
                for (var i = 0; i + 1 < word.Count; i++)
                {
                    if (word[i] == best.Left && word[i + 1] == best.Right)
                    {
                        word[i] = best.Left + best.Right;
                        word.RemoveAt(i + 1);
                    }
                }
            }
        }
    }
}
