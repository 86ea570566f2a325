namespace FreeBind.Audio;

/// <summary>Sample encodings that <see cref="WavDecoder"/> decodes.</summary>
internal enum WavSampleEncoding
{
    UInt8,
    Int16,
    Int24,
    Int32,
    Float32,
    Float64,
    ALaw,
    MuLaw,
    ImaAdpcm,
    MsAdpcm,
}
