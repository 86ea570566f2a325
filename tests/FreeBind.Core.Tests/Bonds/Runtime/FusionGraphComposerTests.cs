using FreeBind.Bonds;
using FreeBind.Bonds.Runtime;
using FreeBind.Encoders;
using FreeBind.Media;

using Microsoft.ML.OnnxRuntime;

using Onnx;

namespace FreeBind.Tests.Bonds.Runtime;

public sealed class FusionGraphComposerTests
{
    private const int Batch = 3;

    private static FusionPlan Plan(float factor) => new(
        Modality.Audio,
        ["u", "e"],
        [GeneratedModels.AudioDimension, 5],
        [
            new FusionStep("c-e", FusionStep.Current, factor, false,
                [new ProjectorMember("e", RandomProjectors.Create(3, 5, 16, GeneratedModels.AudioDimension), "e/mix")],
                GeneratedModels.AudioDimension),
        ],
        GeneratedModels.AudioDimension);

    [Fact]
    public void ComposedModel_EqualsEncoderThenFusion()
    {
        var plan = Plan(0.4f);
        var encoder = GeneratedModels.BuildAudioEncoder();
        var features = RandomProjectors.Embeddings(1, Batch, 3 * 128 * 204);
        var expert = RandomProjectors.Embeddings(2, Batch, 5);

        // Reference: the encoder alone, L2-normalised, then the fusion graph on embeddings.
        float[] unified;
        using (var session = new InferenceSession(encoder))
        using (var input = OrtValue.CreateTensorValueFromMemory(features, [Batch, 3, 1, 128, 204]))
        using (var outputs = session.Run(new RunOptions(), ["audio"], [input], ["embedding"]))
        {
            unified = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        }

        for (var b = 0; b < Batch; b++)
        {
            var row = unified.AsSpan(b * 64, 64);
            var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.SumOfSquares(row));
            System.Numerics.Tensors.TensorPrimitives.Divide(row, norm, row);
        }

        using var runner = FusionRunner.Create(plan, new FusionGraphOptions(), new FusionRunnerOptions { Provider = ExecutionProvider.Cpu });
        var expected = runner.Run([unified, expert], Batch);

        var composed = FusionGraphComposer.Compose(
            FusionGraphBuilder.Build(plan, new FusionGraphOptions { FactorInputs = true }),
            [new EncoderGraph("u", encoder, "embedding", "none", Normalize: true)]);
        using var composedSession = new InferenceSession(composed);
        Assert.Contains("u/audio", composedSession.InputNames);
        Assert.DoesNotContain("u", composedSession.InputNames);
        using var audio = OrtValue.CreateTensorValueFromMemory(features, [Batch, 3, 1, 128, 204]);
        using var expertValue = OrtValue.CreateTensorValueFromMemory(expert, [Batch, 5]);
        using var result = composedSession.Run(new RunOptions(), ["u/audio", "e"], [audio, expertValue], ["fused"]);
        var actual = result[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        var difference = expected.Zip(actual, (x, y) => Math.Abs(x - y)).Max();
        Assert.True(difference <= 1e-5, $"max abs difference {difference:E2}");
    }

    [Fact]
    public void ComposedNodes_AreTopologicallySorted()
    {
        var composed = FusionGraphComposer.Compose(
            FusionGraphBuilder.Build(Plan(0.4f), new FusionGraphOptions { FactorInputs = true }),
            [new EncoderGraph("u", GeneratedModels.BuildAudioEncoder(), "embedding", "none", Normalize: true)]);

        // onnx.checker rejects a node that reads a value no earlier node, input or initializer made.
        var graph = ModelProto.Parser.ParseFrom(composed).Graph;
        var known = graph.Input.Select(i => i.Name).Concat(graph.Initializer.Select(t => t.Name)).ToHashSet();
        known.Add(string.Empty);
        foreach (var node in graph.Node)
        {
            foreach (var input in node.Input)
            {
                Assert.True(known.Contains(input), $"node '{node.Name}' reads '{input}' before any node makes it");
            }

            known.UnionWith(node.Output);
        }
    }

    [Fact]
    public void UnknownSpace_IsRejectedWithInputs()
    {
        var fusion = FusionGraphBuilder.Build(Plan(0.5f), new FusionGraphOptions());

        var exception = Assert.Throws<ArgumentException>(() => FusionGraphComposer.Compose(
            fusion, [new EncoderGraph("imagebind", GeneratedModels.BuildAudioEncoder(), "embedding", "none", true)]));

        Assert.Contains("'imagebind'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("u, e", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEncoderOutput_IsRejected()
    {
        var fusion = FusionGraphBuilder.Build(Plan(0.5f), new FusionGraphOptions());

        var exception = Assert.Throws<ArgumentException>(() => FusionGraphComposer.Compose(
            fusion, [new EncoderGraph("u", GeneratedModels.BuildAudioEncoder(), "pooled", "none", true)]));

        Assert.Contains("no output 'pooled'", exception.Message, StringComparison.Ordinal);
    }
}
