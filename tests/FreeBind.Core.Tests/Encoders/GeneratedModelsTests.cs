using FreeBind.Encoders;

using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Tests.Encoders;

public sealed class GeneratedModelsTests
{
    private const int Clips = GeneratedModels.AudioClips;
    private const int Bins = GeneratedModels.AudioMelBins;
    private const int Frames = GeneratedModels.AudioClipFrames;
    private const int Dimension = GeneratedModels.AudioDimension;

    [Fact]
    public void AudioEncoder_DeclaresInputAndOutput()
    {
        using var session = new InferenceSession(GeneratedModels.BuildAudioEncoder());

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal("audio", input.Key);
        Assert.Equal([-1, Clips, 1, Bins, Frames], input.Value.Dimensions);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("embedding", output.Key);
        Assert.Equal([-1, Dimension], output.Value.Dimensions);
    }

    [Fact]
    public void AudioEncoder_MatchesMeanThenMatMul()
    {
        const int batch = 2;
        var features = new float[batch * Clips * Bins * Frames];
        var random = new Random(123);
        for (var i = 0; i < features.Length; i++)
        {
            features[i] = (float)((random.NextDouble() * 4) - 2);
        }

        using var session = new InferenceSession(GeneratedModels.BuildAudioEncoder());
        using var value = OrtValue.CreateTensorValueFromMemory(features, [batch, Clips, 1, Bins, Frames]);
        using var outputs = session.Run(new RunOptions(), ["audio"], [value], ["embedding"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        var expected = MeanThenMatMul(features, batch, GeneratedModels.AudioWeights());

        Assert.Equal([batch, Dimension], outputs[0].GetTensorTypeAndShape().Shape);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(
                Math.Abs(expected[i] - actual[i]) <= 1e-5,
                $"embedding value {i}: expected {expected[i]}, ONNX Runtime returned {actual[i]}");
        }
    }

    [Fact]
    public void AudioEncoder_SameSeedSameBytes()
    {
        var first = GeneratedModels.BuildAudioEncoder(7);
        var second = GeneratedModels.BuildAudioEncoder(7);
        var other = GeneratedModels.BuildAudioEncoder(8);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other);
        Assert.Equal(GeneratedModels.BuildAudioEncoder(), first);
    }

    [Fact]
    public void AudioWeights_AreFixedAndBounded()
    {
        var weights = GeneratedModels.AudioWeights();
        var bound = 1 / Math.Sqrt(Bins);

        Assert.Equal(Bins * Dimension, weights.Length);
        Assert.All(weights, w => Assert.InRange(w, -bound, bound));
        Assert.True(weights.Distinct().Count() > weights.Length * 0.99, "weights repeat: the generator is broken");

        // Pinned values: a change here changes every generated-audio fingerprint.
        Assert.Equal(FirstWeightsSeed7, weights[..4]);
    }

    [Fact]
    public async Task ModelResolver_ReturnsGeneratedAudio()
    {
        var resolver = new ModelResolver(builtinDirectory: Path.GetTempPath());

        var bytes = await resolver.ReadAsync("builtin:generated-audio", Path.GetTempPath(), CancellationToken.None);

        Assert.Equal(GeneratedModels.BuildAudioEncoder(), bytes);
    }

    [Fact]
    public async Task ModelResolver_UnknownBuiltinListsGeneratedAudio()
    {
        var resolver = new ModelResolver(builtinDirectory: Path.GetTempPath());

        var exception = await Assert.ThrowsAsync<FreeBind.Spaces.SpacesFileException>(
            () => resolver.ReadAsync("builtin:nope", Path.GetTempPath(), CancellationToken.None));

        Assert.Contains("builtin:generated-audio", exception.Message, StringComparison.Ordinal);
        Assert.Contains("'nope'", exception.Message, StringComparison.Ordinal);
    }

    // SplitMix64 from seed 7, recomputed independently in Python (round-trip float32 values).
    private static readonly float[] FirstWeightsSeed7 = [-0.0194755327f, -0.0854205713f, 0.0708451495f, 0.0146601433f];

    private static float[] MeanThenMatMul(float[] features, int batch, float[] weights)
    {
        var result = new float[batch * Dimension];
        for (var b = 0; b < batch; b++)
        {
            var spectrum = new double[Bins];
            for (var c = 0; c < Clips; c++)
            {
                for (var m = 0; m < Bins; m++)
                {
                    var offset = (((b * Clips) + c) * Bins + m) * Frames;
                    for (var f = 0; f < Frames; f++)
                    {
                        spectrum[m] += features[offset + f];
                    }
                }
            }

            for (var d = 0; d < Dimension; d++)
            {
                double sum = 0;
                for (var m = 0; m < Bins; m++)
                {
                    sum += spectrum[m] / (Clips * Frames) * weights[(m * Dimension) + d];
                }

                result[(b * Dimension) + d] = (float)sum;
            }
        }

        return result;
    }
}
