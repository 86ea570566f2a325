using System.Buffers.Binary;

using FreeBind.Audio;
using FreeBind.Media;

namespace FreeBind.Tests.Audio;

public sealed class WavAdpcmTests
{
    private static readonly short[] StandardCoefficients =
        [256, 0, 512, -256, 0, 0, 192, 64, 240, 0, 460, -208, 392, -232];

    // ADPCM fixtures with sox 14.4.2's decode as golden. wav_variants.json records where ffmpeg
    // 5.1 differs: it rounds IMA steps and MS ADPCM predictions differently, rejects odd block
    // aligns and custom coefficient pairs, and agrees only on the file its own encoder wrote with
    // the first coefficient pair alone.
    public static TheoryData<string, string> Fixtures => new()
    {
        { "adpcm_ima_mono_sox.wav", "IMA ADPCM" },
        { "adpcm_ima_stereo_sox.wav", "IMA ADPCM" },
        { "adpcm_ima_stereo_ffmpeg.wav", "IMA ADPCM" },
        { "adpcm_ima_block254_mono.wav", "IMA ADPCM" },
        { "adpcm_ima_spb497_mono.wav", "IMA ADPCM" },
        { "adpcm_ima_cut_stereo.wav", "IMA ADPCM" },
        { "adpcm_ima_random_stereo.wav", "IMA ADPCM" },
        { "adpcm_ima_random_mono.wav", "IMA ADPCM" },
        { "adpcm_ms_mono_sox.wav", "MS ADPCM" },
        { "adpcm_ms_stereo_sox.wav", "MS ADPCM" },
        { "adpcm_ms_stereo_ffmpeg.wav", "MS ADPCM" },
        { "adpcm_ms_custom_coefficients.wav", "MS ADPCM" },
        { "adpcm_ms_cut_mono.wav", "MS ADPCM" },
        { "adpcm_ms_random_stereo.wav", "MS ADPCM" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_MatchesSoxOnEverySample(string fixture, string encoding)
    {
        var wav = AudioGolden.Wav(fixture);
        var reference = WavVariantGolden.Channels(fixture);

        var first = WavDecoder.Decode(wav, mix: ChannelMix.First);
        var average = WavDecoder.Decode(wav, mix: ChannelMix.Average);

        Assert.Equal(encoding, first.Encoding);
        Assert.Equal(reference.Length, first.Channels);
        Assert.Equal(WavVariantGolden.First(reference), first.Samples);
        Assert.Equal(WavVariantGolden.Average(reference), average.Samples);
    }

    [Fact]
    public void Fixtures_HaveExpectedFrameCounts()
    {
        // Whole blocks of 505 (IMA) or 1012 (MS) frames, plus what the cut block contains: IMA 1 + 8
        // per whole pair of 4-byte words, MS 2 + 2 per byte of mono codes.
        var imaCut = WavDecoder.Decode(AudioGolden.Wav("adpcm_ima_cut_stereo.wav"));
        var msCut = WavDecoder.Decode(AudioGolden.Wav("adpcm_ms_cut_mono.wav"));
        var block254 = WavDecoder.Decode(AudioGolden.Wav("adpcm_ima_block254_mono.wav"));
        var declared497 = WavDecoder.Decode(AudioGolden.Wav("adpcm_ima_spb497_mono.wav"));

        Assert.Equal((4 * 505) + 1 + (3 * 8), imaCut.Samples.Length);
        Assert.Equal((2 * 1012) + 2 + (2 * 21), msCut.Samples.Length);
        Assert.Equal(5 * 497, block254.Samples.Length);
        Assert.Equal(5 * 497, declared497.Samples.Length);
    }

    [Fact]
    public void CutFinalBlock_WarnsWithFrameCount()
    {
        var decoded = WavDecoder.Decode(AudioGolden.Wav("adpcm_ima_cut_stereo.wav"));

        Assert.Equal(
            "data chunk ends with a partial block of 36 bytes (blocks are 512 bytes); " +
            "decoded the 25 whole frames it contains",
            Assert.Single(decoded.Warnings));
    }

    [Fact]
    public void FinalBlockShorterThanHeader_IsIgnored()
    {
        var block = ImaBlock(1000, 0, 0x97, 0, 0, 0);
        var wav = new WavBuilder().AdpcmFormat(0x11, 1, 8000, 8, 9).Data([.. block, 1, 2, 3]).Build();

        var decoded = WavDecoder.Decode(wav);

        Assert.Equal(9, decoded.Samples.Length);
        Assert.Equal(
            "data chunk ends with a partial block of 3 bytes (blocks are 8 bytes), too short for its header; ignored",
            Assert.Single(decoded.Warnings));
    }

    [Fact]
    public void Ima_ShiftsEachStepTermLowNibbleFirst()
    {
        // Step index 0 (step 7). Code 7 adds 7>>3 + 7 + 7>>1 + 7>>2 = 11 and moves the index to 8
        // (step 16). Code 9 then subtracts 16>>3 + 16>>2 = 6, index 7. The zero codes that follow
        // each add step>>3 = 1 while the index falls. ffmpeg's (2*7+1)*7>>3 = 13 would give 1013.
        var wav = new WavBuilder().AdpcmFormat(0x11, 1, 8000, 8, 9).Data(ImaBlock(1000, 0, 0x97, 0, 0, 0)).Build();

        var decoded = WavDecoder.Decode(wav);

        short[] expected = [1000, 1011, 1005, 1006, 1007, 1008, 1009, 1010, 1011];
        Assert.Equal(expected.Select(v => v / 32768f), decoded.Samples);
        Assert.Equal("IMA ADPCM", decoded.Encoding);
        Assert.Empty(decoded.Warnings);
    }

    [Fact]
    public void Ima_ClampsSampleAndStepIndex()
    {
        // At step index 88 (step 32767) a code of magnitude 7 moves the sample by 61436. Code F
        // takes -30000 below -32768, and the index stays 88. Code 7 then rises to 28668. The zero
        // codes add step>>3 (4095, 3724, 3385, 3077, 2798, 2543) as the index falls from 88.
        var wav = new WavBuilder().AdpcmFormat(0x11, 1, 8000, 8, 9).Data(ImaBlock(-30000, 88, 0x7F, 0, 0, 0)).Build();

        var decoded = WavDecoder.Decode(wav);

        short[] expected = [-30000, -32768, 28668, 32763, 32767, 32767, 32767, 32767, 32767];
        Assert.Equal(expected.Select(v => v / 32768f), decoded.Samples);
    }

    [Fact]
    public void Ms_OutputsOlderSampleFirstThenHighNibble()
    {
        // Predictor 1 (512, -256), delta 16. Code 1: (100*512 - 90*256) >> 8 = 110, plus 16 =
        // 126. Code F (-1): (126*512 - 100*256) >> 8 = 152, minus 16 = 136. Delta stays 16.
        var wav = new WavBuilder()
            .AdpcmFormat(2, 1, 8000, 8, 4, StandardCoefficients)
            .Data(MsBlock(1, 16, 100, 90, 0x1F))
            .Build();

        var decoded = WavDecoder.Decode(wav);

        short[] expected = [90, 100, 126, 136];
        Assert.Equal(expected.Select(v => v / 32768f), decoded.Samples);
        Assert.Equal("MS ADPCM", decoded.Encoding);
    }

    [Fact]
    public void Ms_RoundsNegativePredictionDown()
    {
        // Predictor 5 (460, -208): -101*460 >> 8 = floor(-181.5) = -182, then
        // (-182*460 + 101*208) >> 8 = floor(-244.97) = -245. Truncation would give -181 and -244.
        var wav = new WavBuilder()
            .AdpcmFormat(2, 1, 8000, 8, 4, StandardCoefficients)
            .Data(MsBlock(5, 16, -101, 0, 0x00))
            .Build();

        var decoded = WavDecoder.Decode(wav);

        short[] expected = [0, -101, -182, -245];
        Assert.Equal(expected.Select(v => v / 32768f), decoded.Samples);
    }

    [Fact]
    public void Ms_WithoutExtension_UsesStandardCoefficients()
    {
        var wav = new WavBuilder().Format(2, 1, 8000, 4, 8).Data(MsBlock(1, 16, 100, 90, 0x1F)).Build();

        var decoded = WavDecoder.Decode(wav);

        short[] expected = [90, 100, 126, 136];
        Assert.Equal(expected.Select(v => v / 32768f), decoded.Samples);
    }

    [Fact]
    public void Ms_SmallerSamplesPerBlock_LeavesRestUnused()
    {
        // A 9-byte block contains 6 frames, but the fmt chunk declares 3 per block.
        var block = MsBlock(1, 16, 100, 90, 0x1F, 0x77);
        var wav = new WavBuilder()
            .AdpcmFormat(2, 1, 8000, 9, 3, StandardCoefficients)
            .Data([.. block, .. block])
            .Build();

        var decoded = WavDecoder.Decode(wav);

        short[] expected = [90, 100, 126, 90, 100, 126];
        Assert.Equal(expected.Select(v => v / 32768f), decoded.Samples);
    }

    [Fact]
    public void TooLong_IsRejectedBeforeDecoding()
    {
        var wav = AudioGolden.Wav("adpcm_ima_stereo_sox.wav");

        var error = Assert.Throws<MediaException>(() => WavDecoder.Decode(wav, maxSeconds: 0.1));

        Assert.Contains("recording is 0.115 s long, more than the maximum of 0.1 s", error.Message);
    }

    public static TheoryData<string, byte[], string> BadHeaders => new()
    {
        { "ima block align 0", new WavBuilder().AdpcmFormat(0x11, 1, 8000, 0, 0).Data(new byte[8]).Build(),
            "IMA ADPCM fmt chunk declares a block align of 0 bytes, smaller than the 4-byte block header" },
        { "ms block align 0", new WavBuilder().AdpcmFormat(2, 2, 8000, 0, 0).Data(new byte[8]).Build(),
            "MS ADPCM fmt chunk declares a block align of 0 bytes, smaller than the 14-byte block header" },
        { "ima 3 bits", new WavBuilder().AdpcmFormat(0x11, 1, 8000, 256, 505, bits: 3).Data(new byte[256]).Build(),
            "IMA ADPCM with 3 bits per sample is not supported: only 4-bit IMA ADPCM is decoded" },
        { "ms 16 bits", new WavBuilder().AdpcmFormat(2, 1, 8000, 256, 500, bits: 16).Data(new byte[256]).Build(),
            "MS ADPCM with 16 bits per sample is not supported" },
        { "ima 0 channels", new WavBuilder().AdpcmFormat(0x11, 0, 8000, 256, 505).Data(new byte[256]).Build(),
            "declares 0 channels" },
        { "ima 3 channels", new WavBuilder().AdpcmFormat(0x11, 3, 8000, 256, 505).Data(new byte[256]).Build(),
            "IMA ADPCM with 3 channels is not supported: only mono and stereo IMA ADPCM are decoded" },
        { "ms 6 channels", new WavBuilder().AdpcmFormat(2, 6, 8000, 256, 500).Data(new byte[256]).Build(),
            "MS ADPCM with 6 channels is not supported" },
        { "ima step index 89", ImaWithStepIndex(89),
            "IMA ADPCM block 1, channel 0 has step index 89, more than the maximum of 88" },
        { "ima step index 255", ImaWithStepIndex(255), "has step index 255" },
        { "ima too many samples per block",
            new WavBuilder().AdpcmFormat(0x11, 1, 8000, 256, 506).Data(new byte[256]).Build(),
            "declares 506 samples per block, but a 256-byte block contains at most 505" },
        { "ms predictor 7", new WavBuilder().AdpcmFormat(2, 1, 8000, 8, 4, StandardCoefficients)
            .Data(MsBlock(7, 16, 0, 0, 0)).Build(),
            "MS ADPCM block 0, channel 0 uses predictor 7, but the fmt chunk defines only 7 coefficient pairs" },
        { "ms 3 coefficient pairs", new WavBuilder().AdpcmFormat(2, 1, 8000, 8, 4, StandardCoefficients[..6])
            .Data(MsBlock(0, 16, 0, 0, 0)).Build(),
            "declares 3 coefficient pairs, not between 7 and 256" },
        { "ms coefficients cut short", MsWithCoefficientCount(9),
            "declares 9 coefficient pairs but contains only 7" },
        { "header only partly present", new WavBuilder().AdpcmFormat(0x11, 2, 8000, 512, 505).Data([1, 2, 3]).Build(),
            "WAV file has no samples (data chunk of 3 bytes, 512 bytes per block)" },
        { "ima in extensible", ExtensibleAdpcm(), "WAV format tag 0x0011 (IMA ADPCM in WAVE_FORMAT_EXTENSIBLE)" },
        { "ima in rifx", new WavBuilder { BigEndian = true }.Format(0x11, 1, 8000, 4, 256).Data(new byte[256]).Build(),
            "IMA ADPCM in a big-endian RIFX file is not supported" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void BadHeader_RaisesDecodeErrorNamingValue(string label, byte[] wav, string expected)
    {
        var error = Assert.Throws<MediaException>(() => WavDecoder.Decode(wav));

        Assert.Equal("decode", error.Stage);
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{label}: {error.Message}");
    }

    [Theory]
    [InlineData("adpcm_ima_stereo_sox.wav")]
    [InlineData("adpcm_ms_custom_coefficients.wav")]
    [InlineData("w64_ima_adpcm_stereo_sox.w64")]
    public void DamagedBytes_RaiseOnlyMediaException(string fixture)
    {
        // Every prefix of the file, and 400 copies with 1 to 4 random bytes replaced, half of
        // them in the first 120 bytes, where the headers are. Each must decode or raise a
        // MediaException.
        var wav = AudioGolden.Wav(fixture);
        var random = new Random(5);
        var inputs = Enumerable.Range(0, wav.Length).Select(n => ($"first {n} bytes", wav[..n])).ToList();
        for (int i = 0; i < 400; i++)
        {
            var damaged = (byte[])wav.Clone();
            int range = i % 2 == 0 ? 120 : damaged.Length;
            var positions = new List<int>();
            for (int j = random.Next(1, 5); j > 0; j--)
            {
                int position = random.Next(range);
                damaged[position] = (byte)random.Next(256);
                positions.Add(position);
            }

            inputs.Add(($"bytes {string.Join(", ", positions)} replaced", damaged));
        }

        var unexpected = new List<string>();
        foreach (var (label, input) in inputs)
        {
            try
            {
                WavDecoder.Decode(input, maxSeconds: 60);
            }
            catch (MediaException)
            {
                // A decode error is the expected outcome for many damaged files.
            }
            catch (Exception error)
            {
                unexpected.Add($"{label}: {error.GetType().Name}: {error.Message}");
            }
        }

        Assert.Empty(unexpected);
    }

    // One mono IMA block: header sample, step index, reserved byte, then the code bytes.
    private static byte[] ImaBlock(short sample, byte stepIndex, params byte[] codes)
    {
        var block = new byte[4 + codes.Length];
        BinaryPrimitives.WriteInt16LittleEndian(block, sample);
        block[2] = stepIndex;
        codes.CopyTo(block, 4);
        return block;
    }

    // One mono MS ADPCM block: predictor, delta, newer sample, older sample, then the code bytes.
    private static byte[] MsBlock(byte predictor, short delta, short newer, short older, params byte[] codes)
    {
        var block = new byte[7 + codes.Length];
        block[0] = predictor;
        BinaryPrimitives.WriteInt16LittleEndian(block.AsSpan(1), delta);
        BinaryPrimitives.WriteInt16LittleEndian(block.AsSpan(3), newer);
        BinaryPrimitives.WriteInt16LittleEndian(block.AsSpan(5), older);
        codes.CopyTo(block, 7);
        return block;
    }

    private static byte[] ImaWithStepIndex(byte stepIndex) => new WavBuilder()
        .AdpcmFormat(0x11, 1, 8000, 8, 9)
        .Data([.. ImaBlock(0, 10, 0, 0, 0, 0), .. ImaBlock(0, stepIndex, 0, 0, 0, 0)])
        .Build();

    // The fmt chunk declares `count` coefficient pairs but contains the 7 standard ones only.
    private static byte[] MsWithCoefficientCount(ushort count)
    {
        var wav = new WavBuilder()
            .AdpcmFormat(2, 1, 8000, 8, 4, StandardCoefficients)
            .Data(MsBlock(0, 16, 0, 0, 0))
            .Build();
        BinaryPrimitives.WriteUInt16LittleEndian(wav.AsSpan(12 + 8 + 20), count);
        return wav;
    }

    private static byte[] ExtensibleAdpcm() =>
        new WavBuilder().Extensible(0x11, 1, 8000, 4, 4).Data(new byte[256]).Build();
}
