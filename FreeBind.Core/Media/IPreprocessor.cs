namespace FreeBind.Media;

/// <summary>Turns the raw bytes of one item into the model inputs of one encoder.</summary>
/// <remarks>Implementations are thread-safe: one instance serves every shard on a silo.</remarks>
public interface IPreprocessor
{
    /// <summary>Modality this preprocessor reads.</summary>
    Modality Modality { get; }

    /// <summary>
    /// Decodes and preprocesses one item.
    /// </summary>
    /// <param name="data">Encoded file bytes (image or audio file) or UTF-8 text.</param>
    /// <returns>One tensor per model input, without the batch dimension.</returns>
    /// <exception cref="MediaException">The item is corrupt, unsupported or empty.</exception>
    PreprocessedItem Preprocess(ReadOnlyMemory<byte> data);
}
