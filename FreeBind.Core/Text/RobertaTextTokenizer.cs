namespace FreeBind.Text;

/// <summary>
/// RoBERTa's byte-level BPE tokenizer (GPT-2's vocabulary format), as CLAP's text branch uses it.
/// </summary>
/// <remarks>
/// Matches Hugging Face's RobertaTokenizer with its defaults: no normalization, GPT-2's
/// pre-tokenizer pattern (a space joins the word after it, "Ġ" in the vocabulary), no prefix
/// space before the first word, no end-of-word suffix.
/// NOTE: special-token text inside the input ("&lt;s&gt;", "&lt;mask&gt;") is tokenized as
/// ordinary characters; Hugging Face maps it to the special ids.
/// </remarks>
public sealed class RobertaTextTokenizer : ITextTokenizer
{
    private readonly ByteLevelBpe _bpe;
    private readonly bool _lowercase;

    private RobertaTextTokenizer(Dictionary<string, int> vocab, List<(string Left, string Right)> merges, bool lowercase)
    {
        StartId = RequireToken(vocab, "<s>");
        EndId = RequireToken(vocab, "</s>");
        PadId = RequireToken(vocab, "<pad>");
        int? unknownId = vocab.TryGetValue("<unk>", out var unknown) ? unknown : null;
        _lowercase = lowercase;
        _bpe = new ByteLevelBpe(vocab, merges, endOfWordSuffix: null, unknownId);
    }

    /// <inheritdoc />
    public string Name => "roberta";

    /// <inheritdoc />
    public int StartId { get; }

    /// <inheritdoc />
    public int EndId { get; }

    /// <summary>Id of "&lt;pad&gt;": 1 in roberta-base.</summary>
    public int PadId { get; }

    /// <summary>Loads vocab.json and merges.txt.</summary>
    /// <param name="vocabJsonPath">vocab.json: token to id, with &lt;s&gt;, &lt;/s&gt; and &lt;pad&gt;.</param>
    /// <param name="mergesPath">merges.txt: merges in rank order after a "#version" line.</param>
    /// <param name="lowercase">Lower-case the text first; RoBERTa is cased, so normally false.</param>
    /// <exception cref="InvalidDataException">A file is malformed or lacks the special tokens.</exception>
    public static RobertaTextTokenizer FromVocabAndMerges(string vocabJsonPath, string mergesPath, bool lowercase = false) =>
        new(BpeFiles.ReadVocabJson(vocabJsonPath), BpeFiles.ReadMerges(mergesPath), lowercase);

    /// <inheritdoc />
    public void EncodeContent(string text, List<int> ids)
    {
        if (_lowercase)
        {
            text = PythonText.Lower(text);
        }

        var pieces = new List<Range>();
        BpePreTokenizers.SplitGpt2(text, pieces);
        foreach (var range in pieces)
        {
            _bpe.Encode(text.AsSpan(range), ids);
        }
    }

    private static int RequireToken(Dictionary<string, int> vocab, string token) =>
        vocab.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"RoBERTa vocabulary lacks the special token '{token}'");
}
