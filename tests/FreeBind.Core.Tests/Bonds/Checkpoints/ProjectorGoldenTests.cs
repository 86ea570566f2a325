using FreeBind.Bonds;
using FreeBind.Bonds.Checkpoints;

namespace FreeBind.Tests.Bonds.Checkpoints;

/// <summary>
/// Reads each golden PyTorch checkpoint, maps it to projector weights and checks the C# forward
/// pass against PyTorch's eval-mode outputs.
/// </summary>
public sealed class ProjectorGoldenTests
{
    private const float Tolerance = 1e-5f;

    public static TheoryData<string> CaseNames => BondFixtures.CaseNames();

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Forward_MatchesPyTorch(string name)
    {
        GoldenCase golden = BondFixtures.Cases[name];
        IReadOnlyDictionary<string, CheckpointTensor> tensors = TorchCheckpointReader.Read(BondFixtures.PathOf(golden.File));

        ProjectorWeights weights = ProjectorCheckpoint.FromStateDict(tensors, golden.Prefix, golden.Activation);

        Assert.Equal(golden.InputDimension, weights.Architecture.InputDimension);
        Assert.Equal(golden.HiddenDimension, weights.Architecture.HiddenDimension);
        Assert.Equal(golden.OutputDimension, weights.Architecture.OutputDimension);
        Assert.Equal(golden.BatchNorm, weights.Architecture.BatchNorm);
        for (int row = 0; row < golden.Inputs.Length; row++)
        {
            var output = new float[golden.OutputDimension];
            ProjectorMath.Forward(weights, golden.Inputs[row], output);
            AssertClose(golden.Outputs[row], output, $"{name} row {row}");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BatchForward_MatchesPyTorch(string name)
    {
        GoldenCase golden = BondFixtures.Cases[name];
        IReadOnlyDictionary<string, CheckpointTensor> tensors = TorchCheckpointReader.Read(BondFixtures.PathOf(golden.File));
        ProjectorWeights weights = ProjectorCheckpoint.FromStateDict(tensors, prefix: null, golden.Activation);
        float[] inputs = golden.Inputs.SelectMany(row => row).ToArray();
        var outputs = new float[golden.Inputs.Length * golden.OutputDimension];

        ProjectorMath.Forward(weights, inputs, outputs, golden.Inputs.Length);

        AssertClose(golden.Outputs.SelectMany(row => row).ToArray(), outputs, name);
    }

    [Fact]
    public void Float16Checkpoint_KeepsHalfDataType()
    {
        IReadOnlyDictionary<string, CheckpointTensor> tensors =
            TorchCheckpointReader.Read(BondFixtures.PathOf(BondFixtures.Cases["float16"].File));

        Assert.Equal("float16", tensors["Head2.mlps.0.weight"].DataType);
        Assert.Equal("float16", tensors["Head2.mlps.4.running_var"].DataType);
        Assert.Equal("int64", tensors["Head2.mlps.1.num_batches_tracked"].DataType);
    }

    [Fact]
    public void WrappedCheckpoint_FindsStateDict()
    {
        IReadOnlyDictionary<string, CheckpointTensor> wrapped =
            TorchCheckpointReader.Read(BondFixtures.PathOf("wrapped_relu_bn_8_16_6.pt"));
        IReadOnlyDictionary<string, CheckpointTensor> plain =
            TorchCheckpointReader.Read(BondFixtures.PathOf("relu_bn_8_16_6.pt"));

        Assert.Equal(plain.Keys, wrapped.Keys);
        foreach ((string key, CheckpointTensor tensor) in plain)
        {
            Assert.Equal(tensor.Shape, wrapped[key].Shape);
            Assert.Equal(tensor.Values, wrapped[key].Values);
        }
    }

    [Fact]
    public void StridedCheckpoint_GathersViews()
    {
        IReadOnlyDictionary<string, CheckpointTensor> tensors =
            TorchCheckpointReader.Read(BondFixtures.PathOf("strided_relu_bn_5_7_3.pt"));

        Assert.Equal(new long[] { 7, 5 }, tensors["Head2.mlps.0.weight"].Shape);
        Assert.Equal(35, tensors["Head2.mlps.0.weight"].Values.Length);
        Assert.Equal(new long[] { 7 }, tensors["Head2.mlps.0.bias"].Shape);
        Assert.Equal(new long[] { 3 }, tensors["Head2.mlps.3.bias"].Shape);
    }

    [Fact]
    public void NumBatchesTracked_ReadsCount()
    {
        IReadOnlyDictionary<string, CheckpointTensor> tensors =
            TorchCheckpointReader.Read(BondFixtures.PathOf("relu_bn_8_16_6.pt"));

        CheckpointTensor tracked = tensors["Head2.mlps.1.num_batches_tracked"];

        // The fixture script runs three train-mode passes before saving.
        Assert.Empty(tracked.Shape);
        Assert.Equal([3f], tracked.Values);
    }

    private static void AssertClose(float[] expected, float[] actual, string label)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            float difference = Math.Abs(expected[i] - actual[i]);
            Assert.True(
                difference <= Tolerance,
                $"{label} element {i}: PyTorch {expected[i]:R}, C# {actual[i]:R}, difference {difference:E2}");
        }
    }
}
