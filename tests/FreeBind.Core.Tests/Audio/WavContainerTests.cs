using System.Buffers.Binary;
using System.Text;

using FreeBind.Audio;
using FreeBind.Media;

namespace FreeBind.Tests.Audio;

public sealed class WavContainerTests
{
    private static readonly byte[] RiffGuid =
        [0x72, 0x69, 0x66, 0x66, 0x2E, 0x91, 0xCF, 0x11, 0xA5, 0xD6, 0x28, 0xDB, 0x04, 0xC1, 0x00, 0x00];

    private static readonly byte[] ChunkGuidTail =
        [0xF3, 0xAC, 0xD3, 0x11, 0x8C, 0xD1, 0x00, 0xC0, 0x4F, 0x8E, 0xDB, 0x8A];

    // Wave64 and RIFX fixtures. sox 14.4.2 wrote and decoded all but the float one, which ffmpeg
    // 5.1 wrote as WAVE_FORMAT_EXTENSIBLE and decoded, because sox reads that file as 32-bit
    // integers. ffmpeg reads 16-bit RIFX as little-endian and rejects 24 and 32-bit RIFX.
    public static TheoryData<string, string> Fixtures => new()
    {
        { "w64_pcm16_stereo_sox.w64", "PCM 16-bit" },
        { "w64_ima_adpcm_stereo_sox.w64", "IMA ADPCM" },
        { "w64_float32_stereo_ffmpeg.w64", "IEEE float 32-bit (extensible)" },
        { "rifx_pcm16_stereo_sox.wav", "PCM 16-bit big-endian" },
        { "rifx_pcm24_stereo_sox.wav", "PCM 24-bit big-endian (extensible)" },
        { "rifx_pcm32_stereo_sox.wav", "PCM 32-bit big-endian (extensible)" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_MatchesReferenceOnEverySample(string fixture, string encoding)
    {
        var wav = AudioGolden.Wav(fixture);
        var reference = WavVariantGolden.Channels(fixture);

        var first = WavDecoder.Decode(wav, mix: ChannelMix.First);
        var average = WavDecoder.Decode(wav, mix: ChannelMix.Average);

        Assert.Equal(encoding, first.Encoding);
        Assert.Equal(reference.Length, first.Channels);
        Assert.Equal(WavVariantGolden.First(reference), first.Samples);
        Assert.Equal(WavVariantGolden.Average(reference), average.Samples);
        Assert.Empty(first.Warnings);
    }

    [Theory]
    [InlineData("w64_pcm16_stereo_sox.w64")]
    [InlineData("rifx_pcm16_stereo_sox.wav")]
    [InlineData("rifx_pcm24_stereo_sox.wav")]
    [InlineData("rifx_pcm32_stereo_sox.wav")]
    public void Fixture_MatchesRiffTone(string fixture)
    {
        // The source tone as a little-endian RIFF file, decoded by the path torchaudio checks.
        var tone = WavDecoder.Decode(AudioGolden.Wav("tone_pcm16_stereo.wav")).Samples;

        var decoded = WavDecoder.Decode(AudioGolden.Wav(fixture)).Samples;

        Assert.Equal(tone, decoded);
    }

    [Fact]
    public void Rifx_ReadsBigEndianSamples()
    {
        var wav = new WavBuilder { BigEndian = true }
            .Format(1, 1, 8000, 16)
            .Data(WavBuilder.Int16BigEndian(16384, -32768, 1))
            .Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([0.5f, -1f, 1 / 32768f], decoded.Samples);
        Assert.Equal(8000, decoded.SampleRate);
        Assert.Equal("PCM 16-bit big-endian", decoded.Encoding);
    }

    [Fact]
    public void Rifx_ReadsBigEndianFloatAnd24Bit()
    {
        var float32 = new byte[8];
        BinaryPrimitives.WriteSingleBigEndian(float32, 0.25f);
        BinaryPrimitives.WriteSingleBigEndian(float32.AsSpan(4), -0.75f);
        var floatWav = new WavBuilder { BigEndian = true }.Format(3, 1, 8000, 32).Data(float32).Build();
        var int24Wav = new WavBuilder { BigEndian = true }
            .Format(1, 1, 8000, 24)
            .Data([0x40, 0, 0, 0xC0, 0, 0])
            .Build();

        Assert.Equal([0.25f, -0.75f], WavDecoder.Decode(floatWav).Samples);
        Assert.Equal([0.5f, -0.5f], WavDecoder.Decode(int24Wav).Samples);
    }

    [Fact]
    public void Wave64_SkipsUnknownChunksAtEightByteAlignment()
    {
        var fmt = new WavBuilder().Format(1, 1, 8000, 16).Build()[20..36];
        var wav = Wave64File(
            ("fmt ", fmt, null),
            ("junk", new byte[5], null),
            ("data", WavBuilder.Int16(100, -200, 300), null));

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([100 / 32768f, -200 / 32768f, 300 / 32768f], decoded.Samples);
        Assert.Empty(decoded.Warnings);
    }

    [Fact]
    public void Wave64_DataLongerThanFile_DecodesBytesPresent()
    {
        var fmt = new WavBuilder().Format(1, 1, 8000, 16).Build()[20..36];
        var wav = Wave64File(("fmt ", fmt, null), ("data", WavBuilder.Int16(1, 2, 3, 4), ulong.MaxValue));

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal(4, decoded.Samples.Length);
        Assert.Equal(
            $"Wave64 data chunk declares {ulong.MaxValue - 24} bytes but 8 follow; decoded those",
            Assert.Single(decoded.Warnings));
    }

    public static TheoryData<string, byte[], string> BadInputs
    {
        get
        {
            var fmt = new WavBuilder().Format(1, 1, 8000, 16).Build()[20..36];
            var sampleData = WavBuilder.Int16(1, 2);
            return new TheoryData<string, byte[], string>
            {
                { "short header", RiffGuid, "Wave64 file is 16 bytes, shorter than its 40-byte header" },
                { "zero chunk size", Wave64File(("fmt ", fmt, 0UL), ("data", sampleData, null)),
                    "Wave64 chunk 20746d66-acf3-11d3-8cd1-00c04f8edb8a at byte 40 declares 0 bytes, " +
                    "less than its 24-byte header" },
                { "chunk size 23", Wave64File(("junk", new byte[8], 23UL), ("fmt ", fmt, null)),
                    "declares 23 bytes, less than its 24-byte header" },
                { "wrong form type", WithFormType(Wave64File(("fmt ", fmt, null)), "avi "),
                    "Wave64 file has form type 20697661-acf3-11d3-8cd1-00c04f8edb8a, not 'wave'" },
                { "no fmt", Wave64File(("junk", new byte[8], null)), "Wave64 file has no fmt chunk" },
                { "no data", Wave64File(("fmt ", fmt, null)), "Wave64 file has no data chunk" },
                { "data before fmt", Wave64File(("data", sampleData, null), ("fmt ", fmt, null)),
                    "Wave64 data chunk comes before any fmt chunk" },
                { "chunk past end",
                    Wave64File(("fmt ", fmt, null), ("junk", new byte[8], 1000UL), ("data", sampleData, null)),
                    "Wave64 file has no data chunk" },
                { "riff without guid", "riff\0\0\0\0\0\0\0\0"u8.ToArray(),
                    "not a WAV file (no RIFF, RIFX, RF64 or Wave64 header with form type WAVE)" },
                { "rifx without fmt", "RIFX\0\0\0\u0004WAVE"u8.ToArray(), "WAV file has no fmt chunk" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void BadInput_RaisesDecodeError(string label, byte[] wav, string expected)
    {
        var error = Assert.Throws<MediaException>(() => WavDecoder.Decode(wav));

        Assert.Equal("decode", error.Stage);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{label}: {error.Message}");
    }

    // A Wave64 file from (four-character id, body, declared chunk size or null for the true one).
    private static byte[] Wave64File(params (string Id, byte[] Body, ulong? DeclaredSize)[] chunks)
    {
        var file = new List<byte>(RiffGuid);
        file.AddRange(new byte[8]);
        file.AddRange(ChunkGuid("wave"));
        foreach (var (id, body, declaredSize) in chunks)
        {
            var size = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(size, declaredSize ?? (ulong)(24 + body.Length));
            file.AddRange(ChunkGuid(id));
            file.AddRange(size);
            file.AddRange(body);
            file.AddRange(new byte[(8 - (body.Length % 8)) % 8]);
        }

        var bytes = file.ToArray();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16), (ulong)bytes.Length);
        return bytes;
    }

    private static byte[] ChunkGuid(string id) => [.. Encoding.ASCII.GetBytes(id), .. ChunkGuidTail];

    private static byte[] WithFormType(byte[] wav, string formType)
    {
        Encoding.ASCII.GetBytes(formType).CopyTo(wav, 24);
        return wav;
    }
}
