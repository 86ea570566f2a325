using FreeBind.Media;
using FreeBind.Spaces;

namespace FreeBind.Text;

/// <summary>Text preprocessing: UTF-8 decode, tokenize, add special tokens, truncate.</summary>
/// <remarks>
/// Typical settings. CLIP and ImageBind: tokenizer clip, vocab.json + merges.txt (or Merges set
/// to bpe_simple_vocab_16e6.txt.gz and Vocab left empty), context 77, padding fixed.
/// all-MiniLM-L6-v2: tokenizer bert, vocab.txt, context 256 (sentence-transformers' max_seq_length
/// for that model), padding longest, attention_mask and token_type_ids set. CLAP: tokenizer
/// roberta, context 77, padding fixed, attention_mask set.
/// </remarks>
public sealed class TextRecipe : PreprocessRecipe
{
    /// <summary>Largest context that BERT's position embeddings cover.</summary>
    public const int MaxBertContextLength = 512;

    /// <summary>clip (CLIP byte-level BPE), bert (WordPiece) or roberta (byte-level BPE).</summary>
    public string Tokenizer { get; set; } = "clip";

    /// <summary>Vocabulary file (vocab.json for BPE, vocab.txt for WordPiece), relative to the spaces file.</summary>
    /// <remarks>May be empty for clip when <see cref="Merges"/> is OpenAI's bpe_simple_vocab_16e6.txt(.gz).</remarks>
    public string Vocab { get; set; } = "";

    /// <summary>BPE merges file, relative to the spaces file; unused by bert.</summary>
    public string? Merges { get; set; }

    /// <summary>Maximum tokens including special tokens. Default 77 (CLIP).</summary>
    public int ContextLength { get; set; } = 77;

    /// <summary>fixed: pad every item to <see cref="ContextLength"/>; longest: pad to the batch's longest item.</summary>
    public string Padding { get; set; } = "fixed";

    /// <summary>
    /// Lower-case the text before tokenizing, or null for the tokenizer's usual setting: true for
    /// clip and bert (uncased), false for roberta. For bert this also strips accents.
    /// </summary>
    public bool? Lowercase { get; set; }

    /// <summary>Model input name for token ids.</summary>
    public string InputIds { get; set; } = "input_ids";

    /// <summary>Model input name for the attention mask, or null when the model takes none.</summary>
    public string? AttentionMask { get; set; }

    /// <summary>Model input name for token type ids, or null when the model takes none.</summary>
    public string? TokenTypeIds { get; set; }

    /// <summary>
    /// Id that pads input ids, or null for the tokenizer's: 0 for clip (as open_clip pads),
    /// [PAD] for bert (0), &lt;pad&gt; for roberta (1).
    /// </summary>
    public long? PadTokenId { get; set; }

    /// <inheritdoc />
    public override IEnumerable<string> Validate(string baseDirectory)
    {
        var problems = new List<string>();
        var tokenizer = Tokenizer?.Trim().ToLowerInvariant();
        if (tokenizer is not ("clip" or "bert" or "roberta"))
        {
            problems.Add($"text recipe: Tokenizer '{Tokenizer}' is unknown: use clip, bert or roberta");
            return problems;
        }

        var usesMergesList = tokenizer == "clip" && string.IsNullOrWhiteSpace(Vocab);
        if (!usesMergesList)
        {
            CheckFile(baseDirectory, nameof(Vocab), Vocab, tokenizer == "bert" ? "vocab.txt" : "vocab.json", problems);
        }

        if (tokenizer != "bert")
        {
            CheckFile(baseDirectory, nameof(Merges), Merges, usesMergesList ? "bpe_simple_vocab_16e6.txt.gz" : "merges.txt", problems);
        }

        if (ContextLength < 2)
        {
            problems.Add($"text recipe: ContextLength {ContextLength} is too small: it must be at least 2 (start and end tokens)");
        }
        else if (tokenizer == "bert" && ContextLength > MaxBertContextLength)
        {
            problems.Add(
                $"text recipe: ContextLength {ContextLength} exceeds BERT's {MaxBertContextLength} positions: set it to {MaxBertContextLength} or less");
        }

        if (Padding is not ("fixed" or "longest"))
        {
            problems.Add($"text recipe: Padding '{Padding}' is unknown: use fixed or longest");
        }

        if (string.IsNullOrWhiteSpace(InputIds))
        {
            problems.Add("text recipe: InputIds is empty: set it to the model's token id input name, such as input_ids");
        }

        if (PadTokenId < 0)
        {
            problems.Add($"text recipe: PadTokenId {PadTokenId} is negative: set a vocabulary id or leave it unset");
        }

        return problems;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The recipe is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidDataException">A vocabulary or merges file is malformed.</exception>
    public override IPreprocessor CreatePreprocessor(string baseDirectory)
    {
        var problems = Validate(baseDirectory).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(baseDirectory));
        }

        ITextTokenizer tokenizer = Tokenizer.Trim().ToLowerInvariant() switch
        {
            "bert" => BertTextTokenizer.FromVocab(Resolve(baseDirectory, Vocab), Lowercase ?? true),
            "roberta" => RobertaTextTokenizer.FromVocabAndMerges(
                Resolve(baseDirectory, Vocab), Resolve(baseDirectory, Merges!), Lowercase ?? false),
            _ when string.IsNullOrWhiteSpace(Vocab) => ClipTextTokenizer.FromMergesList(
                Resolve(baseDirectory, Merges!), Lowercase ?? true),
            _ => ClipTextTokenizer.FromVocabAndMerges(
                Resolve(baseDirectory, Vocab), Resolve(baseDirectory, Merges!), Lowercase ?? true),
        };

        return new TextPreprocessor(
            tokenizer,
            ContextLength,
            padToContextLength: Padding == "fixed",
            InputIds,
            AttentionMask,
            TokenTypeIds,
            PadTokenId);
    }

    private static string Resolve(string baseDirectory, string path) => Path.GetFullPath(path, Path.GetFullPath(baseDirectory));

    private static void CheckFile(string baseDirectory, string property, string? path, string example, List<string> problems)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            problems.Add($"text recipe: {property} is not set: give the path of the {example} file, relative to the spaces file");
            return;
        }

        var fullPath = Resolve(baseDirectory, path);
        if (!File.Exists(fullPath))
        {
            problems.Add($"text recipe: {property} file '{fullPath}' not found: check the path, which is relative to '{baseDirectory}'");
        }
    }
}
