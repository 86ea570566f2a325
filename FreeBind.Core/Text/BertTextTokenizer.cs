using Microsoft.ML.Tokenizers;

namespace FreeBind.Text;

/// <summary>
/// BERT WordPiece tokenizer over a vocab.txt, for models such as all-MiniLM-L6-v2, built on
/// Microsoft.ML.Tokenizers' <see cref="BertTokenizer"/>.
/// </summary>
/// <remarks>
/// Set up as Hugging Face's BertTokenizer defaults: basic tokenization (control characters
/// dropped, punctuation split, each CJK ideograph its own word), lower-casing and accent
/// stripping together for uncased vocabularies, and special-token text such as "[SEP]" in the
/// input kept as that token.
/// </remarks>
public sealed class BertTextTokenizer : ITextTokenizer
{
    private readonly BertTokenizer _tokenizer;

    private BertTextTokenizer(BertTokenizer tokenizer)
    {
        _tokenizer = tokenizer;
    }

    /// <inheritdoc />
    public string Name => "bert";

    /// <summary>Id of [CLS].</summary>
    public int StartId => _tokenizer.ClassificationTokenId;

    /// <summary>Id of [SEP].</summary>
    public int EndId => _tokenizer.SeparatorTokenId;

    /// <summary>Id of [PAD]: 0 in the uncased BERT vocabulary.</summary>
    public int PadId => _tokenizer.PaddingTokenId;

    /// <summary>Loads a vocab.txt with one token per line, the line number being the id.</summary>
    /// <param name="vocabPath">vocab.txt with [CLS], [SEP], [PAD], [UNK] and [MASK].</param>
    /// <param name="lowercase">Lower-case and strip accents, as uncased models expect.</param>
    /// <exception cref="InvalidDataException">The vocabulary cannot be loaded.</exception>
    public static BertTextTokenizer FromVocab(string vocabPath, bool lowercase = true)
    {
        var options = new BertOptions
        {
            LowerCaseBeforeTokenization = lowercase,

            // Hugging Face strips accents whenever it lower-cases, unless told otherwise.
            RemoveNonSpacingMarks = lowercase,
            ApplyBasicTokenization = true,
            IndividuallyTokenizeCjk = true,
            SplitOnSpecialTokens = true,
        };

        try
        {
            return new BertTextTokenizer(BertTokenizer.Create(vocabPath, options));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidDataException($"BERT vocabulary '{vocabPath}' cannot be loaded: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void EncodeContent(string text, List<int> ids)
    {
        ids.AddRange(_tokenizer.EncodeToIds(text, addSpecialTokens: false));
    }
}
