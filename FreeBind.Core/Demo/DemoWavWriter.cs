using System.Buffers.Binary;

namespace FreeBind.Demo;

/// <summary>Writes mono 16-bit PCM samples as a canonical 44-byte-header RIFF WAV file.</summary>
internal static class DemoWavWriter
{
    public static byte[] WritePcm16(ReadOnlySpan<short> samples, int sampleRate)
    {
        const int headerBytes = 44;
        var dataBytes = samples.Length * 2;
        var file = new byte[headerBytes + dataBytes];
        var span = file.AsSpan();

        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + dataBytes);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16);
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1);
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1);
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], sampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], sampleRate * 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2);
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16);
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], dataBytes);

        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(span[(headerBytes + (2 * i))..], samples[i]);
        }

        return file;
    }
}
