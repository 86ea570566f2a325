using FreeBind.Media;
using FreeBind.Spaces;

namespace FreeBind.Text;

/// <summary>Text preprocessing: UTF-8 decode, tokenize, add special tokens, truncate.</summary>
public sealed class TextRecipe : PreprocessRecipe
{
    /// <summary>clip (CLIP byte-level BPE), bert (WordPiece) or roberta (byte-level BPE).</summary>
    public string Tokenizer { get; set; } = "clip";

    /// <summary>Vocabulary file (vocab.json for BPE, vocab.txt for WordPiece), relative to the spaces file.</summary>
    public string Vocab { get; set; } = "";

    /// <summary>BPE merges file, relative to the spaces file; unused by bert.</summary>
    public string? Merges { get; set; }

    /// <summary>Maximum tokens including special tokens. Default 77 (CLIP).</summary>
    public int ContextLength { get; set; } = 77;

    /// <summary>fixed: pad every item to <see cref="ContextLength"/>; longest: pad to the batch's longest item.</summary>
    public string Padding { get; set; } = "fixed";

    /// <summary>Lower-case the text before tokenizing (CLIP and uncased BERT do).</summary>
    public bool Lowercase { get; set; } = true;

    /// <summary>Model input name for token ids.</summary>
    public string InputIds { get; set; } = "input_ids";

    /// <summary>Model input name for the attention mask, or null when the model takes none.</summary>
    public string? AttentionMask { get; set; }

    /// <summary>Model input name for token type ids, or null when the model takes none.</summary>
    public string? TokenTypeIds { get; set; }

    /// <inheritdoc />
    public override IEnumerable<string> Validate(string baseDirectory)
    {
        throw new NotImplementedException();
    }

    /// <inheritdoc />
    public override IPreprocessor CreatePreprocessor(string baseDirectory)
    {
        throw new NotImplementedException();
    }
}
