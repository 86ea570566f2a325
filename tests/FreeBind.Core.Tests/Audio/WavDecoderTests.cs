using System.Buffers.Binary;

using FreeBind.Audio;
using FreeBind.Media;

namespace FreeBind.Tests.Audio;

public sealed class WavDecoderTests
{
    public static TheoryData<string, double> Variants => new()
    {
        // File written by Python's wave module or sox, and the largest expected deviation from
        // the 32-bit PCM version of the same tone (one quantisation step of the coarser format).
        { "tone_pcm8_stereo", 1.0 / 128 },
        { "tone_pcm16_stereo", 1.0 / 32768 },
        { "tone_pcm24_stereo", 1e-6 },
        { "tone_pcm32_stereo", 0 },
        // sox made the float, A-law, mu-law and extensible files from the 16-bit one.
        { "tone_float32_stereo", 1.0 / 32768 },
        { "tone_float64_stereo", 1.0 / 32768 },
        { "tone_ext24_quad", 1.0 / 32768 },
        { "tone_alaw_stereo", 0.02 },
        { "tone_ulaw_stereo", 0.02 },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_MatchesTorchaudioLoad(string name, double _)
    {
        var decoded = WavDecoder.Decode(AudioGolden.Wav(name + ".wav"));

        var expected = AudioGolden.Array("decoded_" + name);
        Assert.Equal(22050, decoded.SampleRate);
        Assert.Equal(0, AudioGolden.MaxAbsDiff(expected, decoded.Samples), 6);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Variant_MatchesSameToneInPcm32(string name, double tolerance)
    {
        var reference = WavDecoder.Decode(AudioGolden.Wav("tone_pcm32_stereo.wav")).Samples;

        var decoded = WavDecoder.Decode(AudioGolden.Wav(name + ".wav")).Samples;

        Assert.InRange(AudioGolden.MaxAbsDiff(reference, decoded), 0, tolerance + 1e-7);
    }

    [Fact]
    public void Pcm16_ScalesBy32768()
    {
        var decoded = WavDecoder.Decode(WavBuilder.Pcm16Mono(8000, 16384, -32768, 32767, 0));

        Assert.Equal([0.5f, -1f, 32767f / 32768f, 0f], decoded.Samples);
        Assert.Equal("PCM 16-bit", decoded.Encoding);
        Assert.Empty(decoded.Warnings);
    }

    [Fact]
    public void Pcm8_IsUnsignedAroundMidpoint()
    {
        var wav = new WavBuilder().Format(1, 1, 8000, 8).Data([128, 0, 255], pad: true).Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([0f, -1f, 127f / 128f], decoded.Samples);
    }

    [Fact]
    public void Stereo_AveragesOrTakesFirst()
    {
        var wav = new WavBuilder().Format(1, 2, 8000, 16).Data(WavBuilder.Int16(16384, 0, -16384, -16384)).Build();

        var average = WavDecoder.Decode(wav);
        var first = WavDecoder.Decode(wav, mix: ChannelMix.First);

        Assert.Equal([0.25f, -0.5f], average.Samples);
        Assert.Equal([0.5f, -0.5f], first.Samples);
        Assert.Equal(2, average.Channels);
    }

    [Fact]
    public void Extensible_24BitIn32BitContainer()
    {
        var body = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(body, 0x4000_0000);
        BinaryPrimitives.WriteInt32LittleEndian(body.AsSpan(4), unchecked((int)0xC000_0000));
        var wav = new WavBuilder().Extensible(1, 1, 16000, 32, 24).Data(body).Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([0.5f, -0.5f], decoded.Samples);
        Assert.Equal("PCM 32-bit (extensible)", decoded.Encoding);
    }

    [Fact]
    public void Extensible_Float()
    {
        var wav = new WavBuilder().Extensible(3, 1, 16000, 32, 32).Data(WavBuilder.Float32(0.25f, -2f)).Build();

        Assert.Equal([0.25f, -2f], WavDecoder.Decode(wav).Samples);
    }

    [Fact]
    public void ExtraChunks_WithOddSizes_AreSkipped()
    {
        var wav = new WavBuilder()
            .Chunk("bext", new byte[603])
            .Format(1, 1, 8000, 16)
            .Chunk("fact", [4, 0, 0, 0])
            .Chunk("LIST", "INFOISFT\u0005\0\0\0sox\0\0"u8.ToArray()[..15])
            .Data(WavBuilder.Int16(100, 200, 300))
            .Chunk("LIST", new byte[7])
            .Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([100 / 32768f, 200 / 32768f, 300 / 32768f], decoded.Samples);
        Assert.Empty(decoded.Warnings);
    }

    [Fact]
    public void OddDataChunk_WithoutPadByte_Decodes()
    {
        var wav = new WavBuilder().Format(1, 1, 8000, 8).Data([128, 192, 64], pad: false).Build();

        Assert.Equal([0f, 0.5f, -0.5f], WavDecoder.Decode(wav).Samples);
    }

    [Fact]
    public void OddChunkWithoutPadByte_FindsData()
    {
        var wav = new WavBuilder()
            .Format(1, 1, 8000, 16)
            .Chunk("ABCD", "xyz"u8.ToArray(), pad: false)
            .Data(WavBuilder.Int16(100, 200))
            .Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([100 / 32768f, 200 / 32768f], decoded.Samples);
        Assert.Equal(
            "chunk 'ABCD' has an odd size of 3 bytes and no pad byte; read the next chunk from byte 47",
            Assert.Single(decoded.Warnings));
    }

    [Fact]
    public void OddChunkWithNonZeroPad_FindsData()
    {
        // The pad byte 'X' with "dat" after it looks like a chunk id, but "data" follows the pad.
        var wav = new WavBuilder()
            .Format(1, 1, 8000, 16)
            .Chunk("ABCD", "xyzX"u8.ToArray(), declaredSize: 3)
            .Data(WavBuilder.Int16(100, 200))
            .Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal([100 / 32768f, 200 / 32768f], decoded.Samples);
        Assert.Empty(decoded.Warnings);
    }

    [Theory]
    [InlineData(0u, 0u)]
    [InlineData(0u, 36u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu)]
    [InlineData(0xFFFFFFFFu, 1234u)]
    [InlineData(1_000_000u, 1_000_036u)]
    public void StreamingDataSize_UsesBytesPresent(uint dataSize, uint riffSize)
    {
        var builder = new WavBuilder { RiffSize = riffSize }
            .Format(1, 1, 8000, 16)
            .Data(WavBuilder.Int16(1000, 2000, 3000, 4000), dataSize);

        var decoded = WavDecoder.Decode(builder.Build());

        Assert.Equal(4, decoded.Samples.Length);
        Assert.Equal(4000 / 32768f, decoded.Samples[3]);
        Assert.Single(decoded.Warnings);
    }

    [Fact]
    public void Rf64_UsesDs64DataSize()
    {
        var ds64 = new byte[28];
        BinaryPrimitives.WriteInt64LittleEndian(ds64.AsSpan(8), 6);
        var wav = new WavBuilder { RiffId = "RF64", RiffSize = 0xFFFFFFFF }
            .Chunk("ds64", ds64)
            .Format(1, 1, 8000, 16)
            .Data(WavBuilder.Int16(1, 2, 3, 4), 0xFFFFFFFF)
            .Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal(3, decoded.Samples.Length);
        Assert.Empty(decoded.Warnings);
    }

    [Fact]
    public void PartialFrame_IsDroppedWithWarning()
    {
        var wav = new WavBuilder().Format(1, 2, 8000, 16).Data(WavBuilder.Int16(1, 2, 3)).Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Single(decoded.Samples);
        Assert.Contains("partial frame of 2 bytes", Assert.Single(decoded.Warnings));
    }

    public static TheoryData<string, byte[], string> BadInputs
    {
        get
        {
            var data = new TheoryData<string, byte[], string>
            {
                { "empty", [], "audio file is empty (0 bytes)" },
                { "mp3", "ID3\u0003\0\0\0\0\0\0\0\0\0\0"u8.ToArray(), "MPEG (MP3) audio is not supported, only WAV (first bytes 4944330300000000)" },
                { "mp3 frame", new byte[] { 0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0 }, "MPEG (MP3) audio is not supported" },
                { "flac", "fLaC\0\0\0\u0022\0\0\0\0"u8.ToArray(), "FLAC audio is not supported" },
                { "ogg", "OggS\0\u0002\0\0\0\0\0\0"u8.ToArray(), "Ogg audio is not supported" },
                { "m4a", "\0\0\0\u0020ftypM4A \0\0\0\0"u8.ToArray(), "MP4/M4A audio is not supported" },
                { "aiff", "FORM\0\0\0\0AIFFCOMM"u8.ToArray(), "AIFF audio is not supported" },
                { "riff avi", "RIFF\0\0\0\0AVI LIST"u8.ToArray(), "first bytes are 5249464600000000" },
                { "gsm", new WavBuilder().Format(0x31, 1, 8000, 0, 65).Data(new byte[65]).Build(),
                    "WAV format tag 0x0031 (GSM 6.10) is not supported: convert to PCM or float WAV" },
                { "mp3 in wav", new WavBuilder().Format(0x55, 1, 8000, 0, 1).Data(new byte[4]).Build(),
                    "WAV format tag 0x0055 (MPEG Layer 3)" },
                { "unknown tag", new WavBuilder().Format(0x1234, 1, 8000, 16).Data(new byte[4]).Build(),
                    "WAV format tag 0x1234 (unknown encoding)" },
                { "pcm 64-bit", new WavBuilder().Format(1, 1, 8000, 64).Data(new byte[16]).Build(),
                    "PCM with 64 bits in 8-byte containers" },
                { "float 16-bit", new WavBuilder().Format(3, 1, 8000, 16).Data(new byte[4]).Build(),
                    "IEEE float with 2-byte samples" },
                { "ext guid", ExtensibleWithGuid(), "subformat" },
                { "short fmt", new WavBuilder().Chunk("fmt ", new byte[10]).Data(new byte[4]).Build(),
                    "fmt chunk is 10 bytes" },
                { "no fmt", new WavBuilder().Chunk("LIST", new byte[4]).Build(), "no fmt chunk" },
                { "data before fmt", new WavBuilder().Data(new byte[4]).Format(1, 1, 8000, 16).Build(),
                    "data chunk comes before any fmt chunk" },
                { "no data", new WavBuilder().Format(1, 1, 8000, 16).Build(), "no data chunk" },
                { "garbage after odd chunk", new WavBuilder().Format(1, 1, 8000, 16)
                    .Chunk("ABCD", "xyz"u8.ToArray(), pad: false).Chunk("\u0001\u0002\u0003\u0004", new byte[4]).Build(),
                    "no data chunk" },
                { "zero samples", new WavBuilder().Format(1, 1, 8000, 16).Data([]).Build(), "no samples (data chunk of 0 bytes" },
                { "one byte of 16-bit", new WavBuilder().Format(1, 1, 8000, 16).Data([1], pad: false).Build(), "no samples" },
                { "zero channels", new WavBuilder().Format(1, 0, 8000, 16, 2).Data(new byte[4]).Build(), "0 channels" },
                { "zero rate", new WavBuilder().Format(1, 1, 0, 16).Data(new byte[4]).Build(), "sample rate of 0 Hz" },
                { "nan", new WavBuilder().Format(3, 1, 8000, 32).Data(WavBuilder.Float32(0, float.NaN, 1, float.NaN)).Build(),
                    "contains 2 NaN or infinite samples" },
                { "infinity", new WavBuilder().Format(3, 2, 8000, 32)
                    .Data(WavBuilder.Float32(0, float.PositiveInfinity, 1, 0, float.NegativeInfinity, 0)).Build(),
                    "contains 2 NaN or infinite samples in IEEE float 32-bit data" },
            };
            return data;
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

    [Fact]
    public void TooLong_NamesDurationAndLimit()
    {
        var wav = WavBuilder.Pcm16Mono(8000, new short[8001]);

        var error = Assert.Throws<MediaException>(() => WavDecoder.Decode(wav, maxSeconds: 1));

        Assert.Equal("decode", error.Stage);
        Assert.Contains("recording is 1 s long", error.Message);
        Assert.Contains("maximum of 1 s", error.Message);
    }

    [Fact]
    public void NaNInIgnoredChannel_IsStillRejected()
    {
        var wav = new WavBuilder().Format(3, 2, 8000, 32).Data(WavBuilder.Float32(0, float.NaN)).Build();

        var error = Assert.Throws<MediaException>(() => WavDecoder.Decode(wav, mix: ChannelMix.First));

        Assert.Contains("1 NaN or infinite", error.Message);
    }

    private static byte[] ExtensibleWithGuid()
    {
        var wav = new WavBuilder().Extensible(1, 1, 8000, 16, 16).Data(new byte[4]).Build();
        wav[12 + 8 + 24 + 5] = 0x77;
        return wav;
    }
}
