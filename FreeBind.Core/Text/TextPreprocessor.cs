using FreeBind.Media;

namespace FreeBind.Text;

/// <summary>
/// Turns UTF-8 text into token ids framed by the tokenizer's start and end tokens, plus an
/// attention mask and token type ids when the model takes them.
/// </summary>
/// <remarks>
/// Each output tensor has the item's real length, at most <see cref="ContextLength"/>. The
/// batcher pads input ids with <see cref="PadTokenId"/> (carried as
/// <see cref="NamedTensor.PadValue"/>), the attention mask and token type ids with 0. Longer
/// text keeps its first <c>ContextLength - 2</c> content tokens, and the end token stays last,
/// as open_clip's tokenize(truncate=True) and Hugging Face's truncation do. Thread-safe.
/// </remarks>
public sealed class TextPreprocessor : IPreprocessor
{
    private readonly string _inputIdsName;
    private readonly string? _attentionMaskName;
    private readonly string? _tokenTypeIdsName;

    /// <summary>Creates a preprocessor around a tokenizer.</summary>
    /// <param name="tokenizer">Tokenizer shared by every call.</param>
    /// <param name="contextLength">Maximum tokens per item, start and end tokens included; at least 2.</param>
    /// <param name="padToContextLength">Whether the batcher pads every item to <paramref name="contextLength"/>.</param>
    /// <param name="inputIdsName">Model input name for token ids.</param>
    /// <param name="attentionMaskName">Model input name for the attention mask, or null.</param>
    /// <param name="tokenTypeIdsName">Model input name for token type ids, or null.</param>
    /// <param name="padTokenId">Pad id for input ids, or null for the tokenizer's.</param>
    public TextPreprocessor(
        ITextTokenizer tokenizer,
        int contextLength,
        bool padToContextLength,
        string inputIdsName = "input_ids",
        string? attentionMaskName = null,
        string? tokenTypeIdsName = null,
        long? padTokenId = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(contextLength, 2);
        ArgumentException.ThrowIfNullOrWhiteSpace(inputIdsName);

        Tokenizer = tokenizer;
        ContextLength = contextLength;
        PadToContextLength = padToContextLength;
        PadTokenId = padTokenId ?? tokenizer.PadId;
        _inputIdsName = inputIdsName;
        _attentionMaskName = attentionMaskName;
        _tokenTypeIdsName = tokenTypeIdsName;
    }

    /// <inheritdoc />
    public Modality Modality => Modality.Text;

    /// <summary>Tokenizer this preprocessor runs.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>Maximum tokens per item, start and end tokens included.</summary>
    public int ContextLength { get; }

    /// <summary>True when batches pad every item to <see cref="ContextLength"/> (padding "fixed").</summary>
    public bool PadToContextLength { get; }

    /// <summary>Value that pads input ids.</summary>
    public long PadTokenId { get; }

    /// <summary>Builds the preprocessor that a recipe describes.</summary>
    /// <param name="recipe">Text recipe; it is validated first.</param>
    /// <param name="baseDirectory">Folder that the recipe's file paths resolve against.</param>
    /// <exception cref="ArgumentException">The recipe is invalid; the message lists every problem.</exception>
    /// <exception cref="InvalidDataException">A vocabulary or merges file is malformed.</exception>
    public static TextPreprocessor Create(TextRecipe recipe, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        return (TextPreprocessor)recipe.CreatePreprocessor(baseDirectory);
    }

    /// <inheritdoc />
    public PreprocessedItem Preprocess(ReadOnlyMemory<byte> data) => PreprocessText(TextFileDecoder.Decode(data.Span));

    /// <summary>Preprocesses text that is already decoded.</summary>
    /// <exception cref="MediaException">Stage preprocess: the text is empty or has no tokens.</exception>
    public PreprocessedItem PreprocessText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new MediaException("preprocess", "text is empty: the item has no characters other than whitespace");
        }

        var content = new List<int>(Math.Min(text.Length + 2, 1024));
        try
        {
            Tokenizer.EncodeContent(text, content);
        }
        catch (KeyNotFoundException ex)
        {
            throw new MediaException("preprocess", $"{Tokenizer.Name} tokenizer failed: {ex.Message}", ex);
        }

        if (content.Count == 0)
        {
            throw new MediaException(
                "preprocess",
                "text is empty after normalization: it contains only control or format characters");
        }

        var fullLength = content.Count + 2;
        var length = Math.Min(fullLength, ContextLength);
        var ids = new long[length];
        ids[0] = Tokenizer.StartId;
        for (var i = 1; i < length - 1; i++)
        {
            ids[i] = content[i - 1];
        }

        ids[length - 1] = Tokenizer.EndId;

        var inputs = new List<NamedTensor>(3) { NamedTensor.Int64(_inputIdsName, [length], ids, PadTokenId) };
        if (_attentionMaskName is not null)
        {
            var mask = new long[length];
            Array.Fill(mask, 1L);
            inputs.Add(NamedTensor.Int64(_attentionMaskName, [length], mask, padValue: 0));
        }

        if (_tokenTypeIdsName is not null)
        {
            inputs.Add(NamedTensor.Int64(_tokenTypeIdsName, [length], new long[length], padValue: 0));
        }

        IReadOnlyList<string> warnings = fullLength > length
            ? [$"text truncated from {fullLength} to {length} tokens"]
            : [];
        return new PreprocessedItem(inputs, warnings);
    }
}
