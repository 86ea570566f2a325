using System.Buffers.Binary;
using System.Text;

namespace FreeBind.Tests.Audio;

/// <summary>Builds WAV files chunk by chunk, including damaged ones, for decoder tests.</summary>
internal sealed class WavBuilder
{
    private readonly List<byte[]> chunks = [];

    public string RiffId { get; set; } = "RIFF";

    public uint? RiffSize { get; set; }

    /// <summary>Whether to write RIFX: chunk sizes and fmt fields big-endian. Set it before adding chunks.</summary>
    public bool BigEndian { get; init; }

    public WavBuilder Format(ushort tag, int channels, int rate, int bits, int? blockAlign = null)
    {
        int align = blockAlign ?? channels * ((bits + 7) / 8);
        var fmt = new byte[16];
        WriteUInt16(fmt, tag);
        WriteUInt16(fmt.AsSpan(2), (ushort)channels);
        WriteUInt32(fmt.AsSpan(4), (uint)rate);
        WriteUInt32(fmt.AsSpan(8), (uint)(rate * align));
        WriteUInt16(fmt.AsSpan(12), (ushort)align);
        WriteUInt16(fmt.AsSpan(14), (ushort)bits);
        return Chunk("fmt ", fmt);
    }

    /// <summary>
    /// Adds an IMA (tag 0x11) or MS ADPCM (tag 2) fmt chunk: WAVEFORMATEX with cbSize, samples per
    /// block and, when <paramref name="coefficients"/> is given, the MS ADPCM coefficient table.
    /// </summary>
    public WavBuilder AdpcmFormat(
        ushort tag, int channels, int rate, int blockAlign, int samplesPerBlock,
        short[]? coefficients = null, int bits = 4)
    {
        int extension = 2 + (coefficients is null ? 0 : 2 + (2 * coefficients.Length));
        var fmt = new byte[18 + extension];
        WriteUInt16(fmt, tag);
        WriteUInt16(fmt.AsSpan(2), (ushort)channels);
        WriteUInt32(fmt.AsSpan(4), (uint)rate);
        WriteUInt32(fmt.AsSpan(8), (uint)(rate * blockAlign / Math.Max(samplesPerBlock, 1)));
        WriteUInt16(fmt.AsSpan(12), (ushort)blockAlign);
        WriteUInt16(fmt.AsSpan(14), (ushort)bits);
        WriteUInt16(fmt.AsSpan(16), (ushort)extension);
        WriteUInt16(fmt.AsSpan(18), (ushort)samplesPerBlock);
        if (coefficients is not null)
        {
            WriteUInt16(fmt.AsSpan(20), (ushort)(coefficients.Length / 2));
            for (int i = 0; i < coefficients.Length; i++)
            {
                WriteUInt16(fmt.AsSpan(22 + (2 * i)), (ushort)coefficients[i]);
            }
        }

        return Chunk("fmt ", fmt);
    }

    public WavBuilder Extensible(ushort subformat, int channels, int rate, int containerBits, int validBits)
    {
        int align = channels * containerBits / 8;
        var fmt = new byte[40];
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(2), (ushort)channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(4), (uint)rate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt.AsSpan(8), (uint)(rate * align));
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(12), (ushort)align);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(14), (ushort)containerBits);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(16), 22);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(18), (ushort)validBits);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt.AsSpan(24), subformat);
        byte[] tail = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71];
        tail.CopyTo(fmt.AsSpan(26));
        return Chunk("fmt ", fmt);
    }

    public WavBuilder Chunk(string id, byte[] body, uint? declaredSize = null, bool pad = true)
    {
        var chunk = new byte[8 + body.Length + (pad ? body.Length & 1 : 0)];
        Encoding.ASCII.GetBytes(id).CopyTo(chunk, 0);
        WriteUInt32(chunk.AsSpan(4), declaredSize ?? (uint)body.Length);
        body.CopyTo(chunk, 8);
        chunks.Add(chunk);
        return this;
    }

    public WavBuilder Data(byte[] body, uint? declaredSize = null, bool pad = true)
    {
        return Chunk("data", body, declaredSize, pad);
    }

    public byte[] Build()
    {
        int length = 12 + chunks.Sum(c => c.Length);
        var file = new byte[length];
        Encoding.ASCII.GetBytes(BigEndian ? "RIFX" : RiffId).CopyTo(file, 0);
        WriteUInt32(file.AsSpan(4), RiffSize ?? (uint)(length - 8));
        "WAVE"u8.CopyTo(file.AsSpan(8));
        int offset = 12;
        foreach (var chunk in chunks)
        {
            chunk.CopyTo(file, offset);
            offset += chunk.Length;
        }

        return file;
    }

    /// <summary>Big-endian 16-bit samples, as a RIFX data chunk stores them.</summary>
    public static byte[] Int16BigEndian(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    public static byte[] Int16(params short[] samples)
    {
        var bytes = new byte[samples.Length * 2];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(bytes.AsSpan(2 * i), samples[i]);
        }

        return bytes;
    }

    public static byte[] Float32(params float[] samples)
    {
        var bytes = new byte[samples.Length * 4];
        for (int i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), samples[i]);
        }

        return bytes;
    }

    /// <summary>A 16-bit mono PCM file at <paramref name="rate"/> Hz.</summary>
    public static byte[] Pcm16Mono(int rate, params short[] samples) =>
        new WavBuilder().Format(1, 1, rate, 16).Data(Int16(samples)).Build();

    private void WriteUInt16(Span<byte> bytes, ushort value)
    {
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        }
    }

    private void WriteUInt32(Span<byte> bytes, uint value)
    {
        if (BigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        }
    }
}
