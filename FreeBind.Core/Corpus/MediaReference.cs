using FreeBind.Media;

namespace FreeBind.Corpus;

/// <summary>Where the bytes of one modality of one corpus entry live.</summary>
/// <param name="Modality">Modality of the bytes.</param>
/// <param name="Location">
/// Path relative to the corpus root, an absolute blob URI, a tar file's path or URI when
/// <see cref="Offset"/> is set, or the Parquet manifest's name when <see cref="Column"/> is set.
/// Null when <see cref="InlineText"/> carries the data.
/// </param>
/// <param name="InlineText">Text given inline by a manifest, or null.</param>
/// <param name="Offset">Byte offset of a member's data inside the tar at <see cref="Location"/>, or null.</param>
/// <param name="Length">Byte length of that member, or null.</param>
/// <param name="Column">
/// Parquet column of the manifest at <see cref="Location"/> whose cell contains the bytes inline, or
/// null. The bytes are read from the manifest again at embedding time, so a shard plan never
/// carries them.
/// </param>
/// <param name="Row">0-based row of that cell across all row groups, or null.</param>
public sealed record MediaReference(
    Modality Modality,
    string? Location,
    string? InlineText = null,
    long? Offset = null,
    long? Length = null,
    string? Column = null,
    long? Row = null)
{
    /// <summary>Human-readable source written to output rows, e.g. <c>images/x.jpg</c> or <c>shard-0001.tar#x.jpg</c>.</summary>
    public string Source { get; init; } = Location ?? "inline";
}
