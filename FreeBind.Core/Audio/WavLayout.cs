namespace FreeBind.Audio;

/// <summary>Where a WAV file's samples are and how they are encoded.</summary>
/// <param name="Format">The parsed fmt chunk.</param>
/// <param name="DataOffset">Offset of the first data byte from the start of the file.</param>
/// <param name="DataLength">Data bytes present, after any streaming-size fix-up.</param>
internal sealed record WavLayout(WavFormat Format, long DataOffset, long DataLength);
