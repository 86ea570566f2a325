namespace FreeBind.Text;

/// <summary>
/// Turns normalized text into token ids, without the special tokens that frame a sequence.
/// </summary>
/// <remarks>Implementations are thread-safe and are built once per recipe.</remarks>
public interface ITextTokenizer
{
    /// <summary>Tokenizer name as recipes write it: clip, bert or roberta.</summary>
    string Name { get; }

    /// <summary>Id of the token that starts every sequence ([CLS], &lt;|startoftext|&gt; or &lt;s&gt;).</summary>
    int StartId { get; }

    /// <summary>Id of the token that ends every sequence ([SEP], &lt;|endoftext|&gt; or &lt;/s&gt;).</summary>
    int EndId { get; }

    /// <summary>Id that pads input ids up to the batch length.</summary>
    int PadId { get; }

    /// <summary>Appends the ids of <paramref name="text"/>, special tokens excluded, to <paramref name="ids"/>.</summary>
    /// <param name="text">Decoded text; the tokenizer applies its own normalization.</param>
    /// <param name="ids">List that receives the ids.</param>
    void EncodeContent(string text, List<int> ids);
}
