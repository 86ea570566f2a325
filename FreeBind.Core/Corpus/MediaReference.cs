using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>Where the bytes of one modality of one corpus entry live.</summary>
/// <param name="Modality">Modality of the bytes.</param>
/// <param name="Location">
/// Path relative to the corpus root, an absolute blob URI, or a tar file's path or URI when
/// <see cref="Offset"/> is set. Null when <see cref="InlineText"/> carries the data.
/// </param>
/// <param name="InlineText">Text given inline by a manifest, or null.</param>
/// <param name="Offset">Byte offset of a member's data inside the tar at <see cref="Location"/>, or null.</param>
/// <param name="Length">Byte length of that member, or null.</param>
public sealed record MediaReference(
    Modality Modality,
    string? Location,
    string? InlineText = null,
    long? Offset = null,
    long? Length = null)
{
    /// <summary>Human-readable source written to output rows, e.g. <c>images/x.jpg</c> or <c>shard-0001.tar#x.jpg</c>.</summary>
    public string Source { get; init; } = Location ?? "inline";
}
