using System.Net;
using System.Text;

namespace FreeBind.Text;

/// <summary>
/// CLIP's byte-level BPE tokenizer, as OpenAI CLIP, open_clip and ImageBind use it.
/// </summary>
/// <remarks>
/// <para>
/// Normalization: the text is put in Unicode NFC, HTML entities are decoded twice, runs of
/// whitespace become one space, the ends are trimmed and the text is lower-cased. Pieces then
/// come from CLIP's pre-tokenizer pattern, and the last symbol of each piece carries the
/// "&lt;/w&gt;" end-of-word suffix. A literal "&lt;|startoftext|&gt;" or "&lt;|endoftext|&gt;"
/// in the text becomes that special token, as in the reference tokenizer.
/// </para>
/// <para>
/// NOTE: the reference first runs ftfy.fix_text, which repairs mojibake and odd quotes; that
/// step is not reproduced (NFC, which ftfy also applies, is). HTML decoding uses
/// <see cref="WebUtility.HtmlDecode(string)"/>, which knows fewer named entities than Python's
/// html.unescape.
/// </para>
/// <para>
/// ImageBind's and CLIP's text encoders pick the embedding at the end-of-text token by taking
/// the argmax of the token ids. &lt;|endoftext|&gt; has the highest id in the vocabulary, so
/// the ids alone locate it and no extra input is needed.
/// </para>
/// </remarks>
public sealed class ClipTextTokenizer : ITextTokenizer
{
    /// <summary>Token that starts every CLIP sequence.</summary>
    public const string StartOfText = "<|startoftext|>";

    /// <summary>Token that ends every CLIP sequence.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Suffix that marks the last symbol of a word.</summary>
    public const string EndOfWordSuffix = "</w>";

    private readonly ByteLevelBpe _bpe;
    private readonly bool _lowercase;

    private ClipTextTokenizer(Dictionary<string, int> vocab, List<(string Left, string Right)> merges, bool lowercase)
    {
        StartId = RequireToken(vocab, StartOfText);
        EndId = RequireToken(vocab, EndOfText);
        _lowercase = lowercase;

        // Hugging Face's CLIPTokenizer uses <|endoftext|> as its unknown token.
        _bpe = new ByteLevelBpe(vocab, merges, EndOfWordSuffix, EndId);
    }

    /// <inheritdoc />
    public string Name => "clip";

    /// <inheritdoc />
    public int StartId { get; }

    /// <inheritdoc />
    public int EndId { get; }

    /// <summary>Always 0: open_clip pads token ids with zeros.</summary>
    public int PadId => 0;

    /// <summary>Loads Hugging Face CLIPTokenizer files.</summary>
    /// <param name="vocabJsonPath">vocab.json: token to id.</param>
    /// <param name="mergesPath">merges.txt: merges in rank order after a "#version" line.</param>
    /// <param name="lowercase">Lower-case the text first; every released CLIP model does.</param>
    /// <exception cref="InvalidDataException">A file is malformed or lacks the special tokens.</exception>
    public static ClipTextTokenizer FromVocabAndMerges(string vocabJsonPath, string mergesPath, bool lowercase = true) =>
        new(BpeFiles.ReadVocabJson(vocabJsonPath), BpeFiles.ReadMerges(mergesPath), lowercase);

    /// <summary>
    /// Loads OpenAI's bpe_simple_vocab_16e6.txt (or .txt.gz) merges list and derives the vocabulary
    /// from it: 256 byte characters, the same with "&lt;/w&gt;", the first 48,894 merges and
    /// the two special tokens, 49,408 tokens in all.
    /// </summary>
    /// <param name="mergesListPath">Merges list with one header line.</param>
    /// <param name="lowercase">Lower-case the text first; every released CLIP model does.</param>
    public static ClipTextTokenizer FromMergesList(string mergesListPath, bool lowercase = true)
    {
        var merges = BpeFiles.ReadMerges(mergesListPath, BpeFiles.ClipMergeCount);
        return new ClipTextTokenizer(BpeFiles.BuildClipVocab(merges), merges, lowercase);
    }

    /// <inheritdoc />
    public void EncodeContent(string text, List<int> ids)
    {
        var normalized = Normalize(text);
        var pieces = new List<Range>();
        BpePreTokenizers.SplitClip(normalized, pieces);

        foreach (var range in pieces)
        {
            var piece = normalized.AsSpan(range);
            if (piece.SequenceEqual(StartOfText))
            {
                ids.Add(StartId);
            }
            else if (piece.SequenceEqual(EndOfText))
            {
                ids.Add(EndId);
            }
            else
            {
                _bpe.Encode(piece, ids);
            }
        }
    }

    /// <summary>Applies CLIP's clean-up: NFC, HTML decode twice, whitespace collapse, lower case.</summary>
    internal string Normalize(string text)
    {
        if (!text.IsNormalized(NormalizationForm.FormC))
        {
            text = text.Normalize(NormalizationForm.FormC);
        }

        if (text.Contains('&'))
        {
            text = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        }

        text = PythonText.CollapseWhitespace(text);
        return _lowercase ? PythonText.Lower(text) : text;
    }

    private static int RequireToken(Dictionary<string, int> vocab, string token) =>
        vocab.TryGetValue(token, out var id)
            ? id
            : throw new InvalidDataException($"CLIP vocabulary lacks the special token '{token}'");
}
