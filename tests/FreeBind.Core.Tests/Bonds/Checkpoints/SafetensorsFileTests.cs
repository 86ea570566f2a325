using System.Buffers.Binary;
using System.Text;
using FreeBind.Bonds.Checkpoints;

namespace FreeBind.Tests.Bonds.Checkpoints;

public sealed class SafetensorsFileTests
{
    [Fact]
    public void Read_MatchesTorchCheckpoint()
    {
        SafetensorsFile file = SafetensorsFile.Read(BondFixtures.PathOf("silu_bn_5_7_3.safetensors"));
        IReadOnlyDictionary<string, CheckpointTensor> torch = TorchCheckpointReader.Read(BondFixtures.PathOf("silu_bn_5_7_3.pt"));

        Assert.Equal(torch.Keys, file.Tensors.Keys);
        foreach ((string key, CheckpointTensor tensor) in torch)
        {
            Assert.Equal(tensor.Shape, file.Tensors[key].Shape);
            Assert.Equal(tensor.Values, file.Tensors[key].Values);
            Assert.Equal(tensor.DataType, file.Tensors[key].DataType);
        }

        Assert.Equal("pt", file.Metadata["format"]);
    }

    [Fact]
    public void WriteRead_RoundTripsExactly()
    {
        string path = Path.Combine(Path.GetTempPath(), $"safetensors-{Guid.NewGuid():N}.safetensors");
        var tensors = new Dictionary<string, CheckpointTensor>
        {
            ["a"] = new("a", [2, 3], [1.5f, -0f, float.Epsilon, 3.4e38f, -7.25f, 1e-20f]),
            ["scalar"] = new("scalar", [], [42f]),
            ["empty"] = new("empty", [0, 4], []),
        };
        try
        {
            SafetensorsFile.Write(path, tensors, new Dictionary<string, string> { ["note"] = "ünïcode" });
            SafetensorsFile file = SafetensorsFile.Read(path);

            Assert.Equal(tensors.Keys, file.Tensors.Keys);
            foreach ((string key, CheckpointTensor tensor) in tensors)
            {
                Assert.Equal(tensor.Shape, file.Tensors[key].Shape);
                Assert.Equal(
                    tensor.Values.Select(BitConverter.SingleToInt32Bits),
                    file.Tensors[key].Values.Select(BitConverter.SingleToInt32Bits));
            }

            Assert.Equal("ünïcode", file.Metadata["note"]);
            Assert.Equal(0L, BinaryPrimitives.ReadInt64LittleEndian(File.ReadAllBytes(path)) % 8);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void OffsetsPastData_Rejected()
    {
        byte[] file = Build("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,12]}}""", new byte[8]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new MemoryStream(file), "bad.safetensors"));

        Assert.Contains("data_offsets [0, 12]", error.Message);
        Assert.Contains("8-byte data section", error.Message);
    }

    [Fact]
    public void SizeMismatch_Rejected()
    {
        byte[] file = Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[8]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new MemoryStream(file), "bad.safetensors"));

        Assert.Contains("has 8 bytes, expected 12", error.Message);
    }

    [Fact]
    public void OverlappingTensors_Rejected()
    {
        byte[] file = Build(
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            new byte[12]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new MemoryStream(file), "bad.safetensors"));

        Assert.Contains("overlapping data_offsets", error.Message);
    }

    [Fact]
    public void UnsupportedDtype_Rejected()
    {
        byte[] file = Build("""{"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}""", new byte[2]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new MemoryStream(file), "bad.safetensors"));

        Assert.Contains("dtype F8_E4M3", error.Message);
        Assert.Contains("not supported", error.Message);
    }

    [Fact]
    public void HeaderLengthPastEnd_Rejected()
    {
        var file = new byte[16];
        BinaryPrimitives.WriteUInt64LittleEndian(file, 1000);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Read(new MemoryStream(file), "bad.safetensors"));

        Assert.Contains("1000-byte header", error.Message);
    }

    [Fact]
    public void Float16AndBFloat16_Converted()
    {
        var data = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(data, (Half)1.5f);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2), (ushort)(BitConverter.SingleToInt32Bits(-2.5f) >> 16));
        byte[] file = Build(
            """{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[2,4]}}""",
            data);

        SafetensorsFile read = SafetensorsFile.Read(new MemoryStream(file), "halves.safetensors");

        Assert.Equal([1.5f], read.Tensors["h"].Values);
        Assert.Equal([-2.5f], read.Tensors["b"].Values);
        Assert.Equal("bfloat16", read.Tensors["b"].DataType);
    }

    private static byte[] Build(string header, byte[] data)
    {
        byte[] headerBytes = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + headerBytes.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)headerBytes.Length);
        headerBytes.CopyTo(file, 8);
        data.CopyTo(file, 8 + headerBytes.Length);
        return file;
    }
}
