using FreeBind.Pipeline;

namespace FreeBind.Tests.Pipeline;

public sealed class WarningKindsTests
{
    [Theory]
    [InlineData("data chunk declares 88200 bytes but 4410 follow; decoded those", "data chunk declares N bytes but N follow; decoded those")]
    [InlineData("data chunk size is 0xFFFFFFFF (streaming writer); decoded the 17 bytes present", "data chunk size is 0xFFFFFFFF (streaming writer); decoded the N bytes present")]
    [InlineData("ds64 declares 12 data bytes but 3 follow; decoded those", "ds64 declares N data bytes but N follow; decoded those")]
    [InlineData("audio shorter than a 2.5 s clip: fbank frames padded to 204", "audio shorter than a N s clip: fbank frames padded to N")]
    [InlineData("image truncated: decoded the readable part", "image truncated: decoded the readable part")]
    public void KeyOf_ReplacesStandAloneNumbers(string warning, string expected)
    {
        Assert.Equal(expected, WarningKinds.KeyOf(warning));
    }

    [Fact]
    public void AddInto_KeepsAtMostMaxKinds()
    {
        var total = new Dictionary<string, long>();
        var counts = Enumerable.Range(0, WarningKinds.MaxKinds + 20).Select(i => KeyValuePair.Create($"kind {(char)('a' + (i % 26))}{i / 26}", 2L));

        WarningKinds.AddInto(total, counts);
        WarningKinds.AddInto(total, [KeyValuePair.Create("kind a0", 1L), KeyValuePair.Create("one more kind", 5L)]);

        Assert.Equal(WarningKinds.MaxKinds + 1, total.Count);
        Assert.Equal(3, total["kind a0"]);
        Assert.Equal((20 * 2) + 5, total[WarningKinds.OtherKinds]);
        Assert.Equal((2L * (WarningKinds.MaxKinds + 20)) + 6, total.Values.Sum());
    }
}
