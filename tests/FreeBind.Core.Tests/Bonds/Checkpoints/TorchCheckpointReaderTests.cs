using System.IO.Compression;
using FreeBind.Bonds.Checkpoints;

namespace FreeBind.Tests.Bonds.Checkpoints;

public sealed class TorchCheckpointReaderTests
{
    [Fact]
    public void LegacyFormat_RejectedWithResaveHint()
    {
        var error = Assert.Throws<InvalidDataException>(
            () => TorchCheckpointReader.Read(BondFixtures.PathOf("legacy_format.pt")));

        Assert.Contains("legacy (non-zip)", error.Message);
        Assert.Contains("_use_new_zipfile_serialization=True", error.Message);
    }

    [Fact]
    public void UnknownGlobal_RejectedByName()
    {
        var error = Assert.Throws<InvalidDataException>(
            () => TorchCheckpointReader.Read(BondFixtures.PathOf("namespace_global.pt")));

        Assert.Contains("'argparse.Namespace'", error.Message);
        Assert.Contains("no code is run", error.Message);
    }

    [Fact]
    public void TruncatedZip_RejectedAsDamaged()
    {
        byte[] bytes = File.ReadAllBytes(BondFixtures.PathOf("relu_bn_8_16_6.pt"));
        using var truncated = new MemoryStream(bytes, 0, bytes.Length / 2);

        var error = Assert.Throws<InvalidDataException>(() => TorchCheckpointReader.Read(truncated, "half.pt"));

        Assert.Contains("'half.pt'", error.Message);
        Assert.Contains("truncated or damaged", error.Message);
    }

    [Fact]
    public void NotZip_RejectedWithHint()
    {
        using var stream = new MemoryStream("hello, world"u8.ToArray());

        var error = Assert.Throws<InvalidDataException>(() => TorchCheckpointReader.Read(stream, "notes.txt"));

        Assert.Contains("not a PyTorch zip checkpoint", error.Message);
    }

    [Fact]
    public void MissingStorageEntry_NamesEntryAndTensor()
    {
        using MemoryStream damaged = CopyArchive("relu_bn_8_16_6.pt", skip: name => name.EndsWith("/data/0", StringComparison.Ordinal));

        var error = Assert.Throws<InvalidDataException>(() => TorchCheckpointReader.Read(damaged, "damaged.pt"));

        Assert.Contains("data/0", error.Message);
        Assert.Contains("is missing", error.Message);
    }

    [Fact]
    public void BigEndianByteOrder_Rejected()
    {
        using MemoryStream archive = CopyArchive(
            "relu_nobn_5_7_3.pt",
            skip: _ => false,
            extra: ("relu_nobn_5_7_3/byteorder", "big"u8.ToArray()));

        var error = Assert.Throws<InvalidDataException>(() => TorchCheckpointReader.Read(archive, "big.pt"));

        Assert.Contains("'big' byte order", error.Message);
    }

    [Fact]
    public void NonSeekableStream_ReadsLikeFile()
    {
        string path = BondFixtures.PathOf("silu_bn_5_7_3.pt");
        using var stream = new ForwardOnlyStream(File.ReadAllBytes(path));

        IReadOnlyDictionary<string, CheckpointTensor> fromStream = TorchCheckpointReader.Read(stream, path);
        IReadOnlyDictionary<string, CheckpointTensor> fromFile = TorchCheckpointReader.Read(path);

        Assert.Equal(fromFile.Keys, fromStream.Keys);
        Assert.Equal(fromFile["Head2.mlps.3.weight"].Values, fromStream["Head2.mlps.3.weight"].Values);
    }

    [Fact]
    public void KeysAndShapes_FollowStateDict()
    {
        IReadOnlyDictionary<string, CheckpointTensor> tensors =
            TorchCheckpointReader.Read(BondFixtures.PathOf("relu_nobn_5_7_3.pt"));

        Assert.Equal(
            ["Head2.mlps.0.weight", "Head2.mlps.0.bias", "Head2.mlps.2.weight", "Head2.mlps.2.bias"],
            tensors.Keys.ToArray());
        Assert.Equal(new long[] { 7, 5 }, tensors["Head2.mlps.0.weight"].Shape);
        Assert.Equal(new long[] { 3, 7 }, tensors["Head2.mlps.2.weight"].Shape);
        Assert.Equal("float32", tensors["Head2.mlps.2.bias"].DataType);
    }

    private static MemoryStream CopyArchive(string fixture, Func<string, bool> skip, (string Name, byte[] Data)? extra = null)
    {
        var output = new MemoryStream();
        using (var source = ZipFile.OpenRead(BondFixtures.PathOf(fixture)))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (ZipArchiveEntry entry in source.Entries)
            {
                if (skip(entry.FullName))
                {
                    continue;
                }

                ZipArchiveEntry copy = target.CreateEntry(entry.FullName, CompressionLevel.NoCompression);
                using Stream from = entry.Open();
                using Stream to = copy.Open();
                from.CopyTo(to);
            }

            if (extra is { } added)
            {
                using Stream to = target.CreateEntry(added.Name).Open();
                to.Write(added.Data);
            }
        }

        output.Position = 0;
        return output;
    }

    /// <summary>A stream that cannot seek, like a network response.</summary>
    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
