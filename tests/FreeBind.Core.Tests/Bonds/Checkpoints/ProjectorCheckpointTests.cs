using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;

namespace FreeBind.Tests.Bonds.Checkpoints;

public sealed class ProjectorCheckpointTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"projector-{Guid.NewGuid():N}");

    public ProjectorCheckpointTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void MissingKey_NamesKeyAndShape()
    {
        Dictionary<string, CheckpointTensor> tensors = ReadFixture("relu_bn_8_16_6.pt");
        tensors.Remove("Head2.mlps.1.running_var");

        var error = Assert.Throws<InvalidDataException>(() => ProjectorCheckpoint.FromStateDict(tensors));

        Assert.Contains("no tensor 'Head2.mlps.1.running_var'", error.Message);
        Assert.Contains("expected shape [16]", error.Message);
    }

    [Fact]
    public void WrongShape_NamesBothShapes()
    {
        Dictionary<string, CheckpointTensor> tensors = ReadFixture("relu_bn_8_16_6.pt");
        tensors["Head2.mlps.3.bias"] = new CheckpointTensor("Head2.mlps.3.bias", [5], new float[5]);

        var error = Assert.Throws<InvalidDataException>(() => ProjectorCheckpoint.FromStateDict(tensors));

        Assert.Contains("'Head2.mlps.3.bias' has shape [5]", error.Message);
        Assert.Contains("expected [6]", error.Message);
    }

    [Fact]
    public void ExtraLayer_Rejected()
    {
        Dictionary<string, CheckpointTensor> tensors = ReadFixture("relu_bn_8_16_6.pt");
        tensors["Head2.mlps.6.weight"] = new CheckpointTensor("Head2.mlps.6.weight", [2, 6], new float[12]);

        var error = Assert.Throws<InvalidDataException>(() => ProjectorCheckpoint.FromStateDict(tensors));

        Assert.Contains("unexpected tensors", error.Message);
        Assert.Contains("'Head2.mlps.6.weight'", error.Message);
    }

    [Fact]
    public void WrongPrefix_ListsKeys()
    {
        Dictionary<string, CheckpointTensor> tensors = ReadFixture("relu_bn_8_16_6.pt");

        var error = Assert.Throws<InvalidDataException>(() => ProjectorCheckpoint.FromStateDict(tensors, "Head1.mlps."));

        Assert.Contains("no projector under prefix 'Head1.mlps.'", error.Message);
        Assert.Contains("'Head2.mlps.0.weight'", error.Message);
    }

    [Fact]
    public void UnknownActivation_Rejected()
    {
        Dictionary<string, CheckpointTensor> tensors = ReadFixture("relu_bn_8_16_6.pt");

        var error = Assert.Throws<ArgumentException>(() => ProjectorCheckpoint.FromStateDict(tensors, activation: "mish"));

        Assert.Contains("'mish'", error.Message);
    }

    [Fact]
    public void EmptyPrefix_ReadsBareKeys()
    {
        Dictionary<string, CheckpointTensor> bare = ReadFixture("silu_bn_5_7_3.pt")
            .ToDictionary(pair => pair.Key["Head2.mlps.".Length..], pair => pair.Value);

        ProjectorWeights explicitPrefix = ProjectorCheckpoint.FromStateDict(bare, "", "silu");
        ProjectorWeights detected = ProjectorCheckpoint.FromStateDict(bare, null, "silu");

        Assert.Equal(7, explicitPrefix.Architecture.HiddenDimension);
        Assert.Equal(explicitPrefix.Weight2, detected.Weight2);
    }

    [Fact]
    public void DetectPrefix_FindsModulePrefix()
    {
        string prefix = ProjectorCheckpoint.DetectPrefix(["module.Head2.mlps.0.weight", "module.Head2.mlps.0.bias", "epoch_marker"]);

        Assert.Equal("module.Head2.mlps.", prefix);
    }

    [Fact]
    public void DetectPrefix_RejectsSeveralProjectors()
    {
        var error = Assert.Throws<InvalidDataException>(
            () => ProjectorCheckpoint.DetectPrefix(["Head1.mlps.0.weight", "Head2.mlps.0.weight"]));

        Assert.Contains("'Head1.mlps.', 'Head2.mlps.'", error.Message);
    }

    [Theory]
    [InlineData("gelu_bn_12_32_12.pt", "gelu")]
    [InlineData("relu_nobn_5_7_3.pt", "relu")]
    [InlineData("float16_gelu_bn_12_32_12.pt", "gelu")]
    public void SaveLoad_RoundTripsBitExact(string fixture, string activation)
    {
        ProjectorWeights original = ProjectorCheckpoint.FromStateDict(ReadFixture(fixture), activation: activation, epsilon: 1e-3f);
        string path = Path.Combine(folder, "projector");

        ProjectorCheckpoint.Save(path, original);
        ProjectorWeights loaded = ProjectorCheckpoint.Load(path);

        Assert.Equal(original.Architecture, loaded.Architecture);
        AssertBitEqual(original.Weight1, loaded.Weight1);
        AssertBitEqual(original.Bias1, loaded.Bias1);
        AssertBitEqual(original.Weight2, loaded.Weight2);
        AssertBitEqual(original.Bias2, loaded.Bias2);
        AssertBitEqual(original.Norm1Scale, loaded.Norm1Scale);
        AssertBitEqual(original.Norm1Shift, loaded.Norm1Shift);
        AssertBitEqual(original.Norm1RunningMean, loaded.Norm1RunningMean);
        AssertBitEqual(original.Norm1RunningVariance, loaded.Norm1RunningVariance);
        AssertBitEqual(original.Norm2Scale, loaded.Norm2Scale);
        AssertBitEqual(original.Norm2Shift, loaded.Norm2Shift);
        AssertBitEqual(original.Norm2RunningMean, loaded.Norm2RunningMean);
        AssertBitEqual(original.Norm2RunningVariance, loaded.Norm2RunningVariance);
    }

    [Fact]
    public void Save_WritesPyTorchKeyNames()
    {
        ProjectorWeights weights = ProjectorCheckpoint.FromStateDict(ReadFixture("relu_bn_8_16_6.pt"));
        string path = Path.Combine(folder, "mix");

        ProjectorCheckpoint.Save(path, weights);
        SafetensorsFile file = SafetensorsFile.Read(path + ".safetensors");

        Assert.Equal(
            ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var",
             "3.weight", "3.bias", "4.weight", "4.bias", "4.running_mean", "4.running_var"],
            file.Tensors.Keys.ToArray());
        Assert.Contains("\"activation\": \"relu\"", File.ReadAllText(path + ".json"));
    }

    [Fact]
    public void Load_RejectsNewerFormatVersion()
    {
        string path = Path.Combine(folder, "mix");
        ProjectorCheckpoint.Save(path, ProjectorCheckpoint.FromStateDict(ReadFixture("relu_nobn_5_7_3.pt")));
        File.WriteAllText(path + ".json", File.ReadAllText(path + ".json").Replace("\"formatVersion\": 1", "\"formatVersion\": 2"));

        var error = Assert.Throws<InvalidDataException>(() => ProjectorCheckpoint.Load(path));

        Assert.Contains("format version 2", error.Message);
    }

    [Fact]
    public void Load_RejectsMissingWeights()
    {
        string path = Path.Combine(folder, "mix");
        ProjectorCheckpoint.Save(path, ProjectorCheckpoint.FromStateDict(ReadFixture("relu_nobn_5_7_3.pt")));
        File.Delete(path + ".safetensors");

        var error = Assert.Throws<FileNotFoundException>(() => ProjectorCheckpoint.Load(path));

        Assert.Contains("mix.safetensors", error.Message);
    }

    [Fact]
    public void SetFiles_LoadsModesNamedAfterFolder()
    {
        string setFolder = Path.Combine(folder, "imagebind-clap");
        Directory.CreateDirectory(setFolder);
        ProjectorWeights mix = ProjectorCheckpoint.FromStateDict(ReadFixture("relu_bn_8_16_6.pt"));
        ProjectorWeights audio = ProjectorCheckpoint.FromStateDict(ReadFixture("tanh_bn_8_16_6.pt"), activation: "tanh");
        ProjectorCheckpoint.Save(Path.Combine(setFolder, "mix"), mix);
        ProjectorCheckpoint.Save(Path.Combine(setFolder, "A"), audio);

        ProjectorSet set = ProjectorSetFiles.Load(setFolder + Path.DirectorySeparatorChar);

        Assert.Equal("imagebind-clap", set.Name);
        Assert.Equal(["mix", "A"], set.Members.Keys.ToArray());
        Assert.Equal("tanh", set.Members["A"].Architecture.Activation);
    }

    [Fact]
    public void SetFiles_RejectsMismatchedDimensions()
    {
        ProjectorCheckpoint.Save(Path.Combine(folder, "mix"), ProjectorCheckpoint.FromStateDict(ReadFixture("relu_bn_8_16_6.pt")));
        ProjectorCheckpoint.Save(Path.Combine(folder, "T"), ProjectorCheckpoint.FromStateDict(ReadFixture("relu_nobn_5_7_3.pt")));

        var error = Assert.Throws<InvalidDataException>(() => ProjectorSetFiles.Load(folder));

        Assert.Contains("data mode 'T' maps 5 → 3", error.Message);
    }

    [Fact]
    public void SetFiles_RejectsEmptyFolder()
    {
        var error = Assert.Throws<InvalidDataException>(() => ProjectorSetFiles.Load(folder));

        Assert.Contains("contains no projector", error.Message);
    }

    private static Dictionary<string, CheckpointTensor> ReadFixture(string file)
        => new(TorchCheckpointReader.Read(BondFixtures.PathOf(file)));

    private static void AssertBitEqual(float[]? expected, float[]? actual)
    {
        if (expected is null)
        {
            Assert.Null(actual);
            return;
        }

        Assert.NotNull(actual);
        Assert.Equal(
            expected.Select(BitConverter.SingleToInt32Bits),
            actual.Select(BitConverter.SingleToInt32Bits));
    }
}
