using System.IO.Compression;
using System.Text.Json;

namespace FreeBind.Text;

/// <summary>Loads byte-level BPE vocabularies and merge lists in the formats that models ship.</summary>
internal static class BpeFiles
{
    /// <summary>Number of merges that CLIP keeps from bpe_simple_vocab_16e6.txt: 49152 - 256 - 2.</summary>
    public const int ClipMergeCount = 49152 - 256 - 2;

    /// <summary>Reads a Hugging Face vocab.json: one JSON object of token to id.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object of integers.</exception>
    public static Dictionary<string, int> ReadVocabJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
            if (vocab is null || vocab.Count == 0)
            {
                throw new InvalidDataException($"vocabulary '{path}' is empty: expected a JSON object of token to id");
            }

            return new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException(
                $"vocabulary '{path}' is not a JSON object of token to id: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Reads a merges list: one "left right" pair per line in rank order, after an optional
    /// "#version" header line. Files ending in .gz are decompressed.
    /// </summary>
    /// <param name="path">merges.txt, bpe_simple_vocab_16e6.txt or its .gz.</param>
    /// <param name="maxMerges">Keep at most this many merges.</param>
    /// <exception cref="InvalidDataException">A line is not two tokens separated by one space.</exception>
    public static List<(string Left, string Right)> ReadMerges(string path, int maxMerges = int.MaxValue)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);

        var merges = new List<(string, string)>();
        var lineNumber = 0;
        while (merges.Count < maxMerges && reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (lineNumber == 1 && line.Contains("#version", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
            {
                throw new InvalidDataException(
                    $"merges file '{path}' line {lineNumber} is '{line}': expected two tokens separated by one space");
            }

            merges.Add((parts[0], parts[1]));
        }

        return merges;
    }

    /// <summary>
    /// Builds CLIP's vocabulary from its merges the way the original tokenizer does: the 256 byte
    /// characters, the same with "&lt;/w&gt;", one token per merge, then &lt;|startoftext|&gt;
    /// and &lt;|endoftext|&gt;.
    /// </summary>
    public static Dictionary<string, int> BuildClipVocab(IReadOnlyList<(string Left, string Right)> merges)
    {
        var tokens = new List<string>(512 + merges.Count + 2);
        var byteChars = ByteLevelBpe.BytesInVocabularyOrder()
            .Select(b => ByteLevelBpe.ByteCharacters[b].ToString())
            .ToList();
        tokens.AddRange(byteChars);
        tokens.AddRange(byteChars.Select(c => c + ClipTextTokenizer.EndOfWordSuffix));
        tokens.AddRange(merges.Select(m => m.Left + m.Right));
        tokens.Add(ClipTextTokenizer.StartOfText);
        tokens.Add(ClipTextTokenizer.EndOfText);

        var vocab = new Dictionary<string, int>(tokens.Count, StringComparer.Ordinal);
        for (var id = 0; id < tokens.Count; id++)
        {
            // Python's dict(zip(vocab, range(...))) keeps the last id of a repeated token.
            vocab[tokens[id]] = id;
        }

        return vocab;
    }
}
