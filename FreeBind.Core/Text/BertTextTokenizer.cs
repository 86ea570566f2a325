using Microsoft.ML.Tokenizers;

namespace FreeBind.Text;

/// <summary>
/// BERT WordPiece tokenizer over a vocab.txt, for models such as all-MiniLM-L6-v2.
/// </summary>
/// <remarks>
/// Matches Hugging Face's BertTokenizer defaults. Control characters are dropped, whitespace and
/// punctuation split words, and each CJK ideograph is its own word. Uncased vocabularies get
/// lower-casing and accent stripping together. Special-token text such as "[SEP]" stays that
/// token, and a word that WordPiece cannot cover becomes [UNK]. Basic tokenization is
/// <see cref="BertBasicTokenizer"/>; the WordPiece step is Microsoft.ML.Tokenizers'
/// <see cref="BertTokenizer"/> with its own basic tokenization turned off.
/// </remarks>
public sealed class BertTextTokenizer : ITextTokenizer
{
    private static readonly string[] SpecialTokens = ["[CLS]", "[SEP]", "[PAD]", "[MASK]", "[UNK]"];

    private readonly BertTokenizer _wordPiece;
    private readonly bool _lowercase;

    private BertTextTokenizer(BertTokenizer wordPiece, bool lowercase)
    {
        _wordPiece = wordPiece;
        _lowercase = lowercase;
    }

    /// <inheritdoc />
    public string Name => "bert";

    /// <summary>Id of [CLS].</summary>
    public int StartId => _wordPiece.ClassificationTokenId;

    /// <summary>Id of [SEP].</summary>
    public int EndId => _wordPiece.SeparatorTokenId;

    /// <summary>Id of [PAD]: 0 in the uncased BERT vocabulary.</summary>
    public int PadId => _wordPiece.PaddingTokenId;

    /// <summary>Loads a vocab.txt with one token per line, the line number being the id.</summary>
    /// <param name="vocabPath">vocab.txt with [CLS], [SEP], [PAD], [UNK] and [MASK].</param>
    /// <param name="lowercase">Lower-case and strip accents, as uncased models expect.</param>
    /// <exception cref="InvalidDataException">The vocabulary cannot be loaded.</exception>
    public static BertTextTokenizer FromVocab(string vocabPath, bool lowercase = true)
    {
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = false,
            ApplyBasicTokenization = false,

            // BertBasicTokenizer already isolates special tokens as words, and WordPiece maps
            // such a word to its id because the vocabulary lists it whole.
            SplitOnSpecialTokens = false,
        };

        try
        {
            return new BertTextTokenizer(BertTokenizer.Create(vocabPath, options), lowercase);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"BERT vocabulary '{vocabPath}' cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void EncodeContent(string text, List<int> ids)
    {
        // Hugging Face strips accents whenever it lower-cases, unless configured otherwise.
        var words = BertBasicTokenizer.Split(text, _lowercase, stripAccents: _lowercase, SpecialTokens);
        ids.AddRange(_wordPiece.EncodeToIds(words, addSpecialTokens: false));
    }
}
