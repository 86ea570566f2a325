using Google.Protobuf;

using Onnx;

namespace FreeBind.Encoders;

/// <summary>Small ONNX models that the project builds in code, so a modality runs with no trained model.</summary>
/// <remarks>
/// These models are deterministic but untrained: their embeddings carry no meaning beyond
/// "similar inputs give similar vectors". They exist so the decode, feature and storage path
/// of a modality runs end to end on real files.
/// </remarks>
public static class GeneratedModels
{
    /// <summary>Seed of the weight matrix that <c>builtin:generated-audio</c> uses.</summary>
    public const int DefaultAudioSeed = 7;

    /// <summary>Clips per recording in the audio encoder's input (ImageBind's default).</summary>
    public const int AudioClips = 3;

    /// <summary>Mel bins per frame in the audio encoder's input (ImageBind's default).</summary>
    public const int AudioMelBins = 128;

    /// <summary>Frames per clip in the audio encoder's input (ImageBind's default).</summary>
    public const int AudioClipFrames = 204;

    /// <summary>Length of the audio encoder's output embedding.</summary>
    public const int AudioDimension = 64;

    /// <summary>Name of the audio encoder's input.</summary>
    public const string AudioInput = "audio";

    /// <summary>Name of the audio encoder's output.</summary>
    public const string AudioOutput = "embedding";

    private const long IrVersion = 8;
    private const long Opset = 13;

    /// <summary>
    /// Builds an ONNX audio encoder for ImageBind's Kaldi filter bank layout: input
    /// <c>audio</c> float [batch, 3, 1, 128, 204] (clips, channel, mel bins, frames) and output
    /// <c>embedding</c> float [batch, 64].
    /// </summary>
    /// <remarks>
    /// The graph averages over clips and frames (ReduceMean over axes 1 and 4), reshapes the
    /// mean spectrum to [batch, 128] and multiplies it by a [128, 64] matrix from
    /// <see cref="AudioWeights"/>. Opset 13, IR version 8. The same seed gives the same bytes.
    /// </remarks>
    /// <param name="seed">Seed of the weight matrix; <see cref="DefaultAudioSeed"/> by default.</param>
    /// <returns>The serialized model, owned by the caller.</returns>
    public static byte[] BuildAudioEncoder(int seed = DefaultAudioSeed)
    {
        var graph = new GraphProto { Name = "generated_audio_encoder" };
        graph.Input.Add(FloatValue(AudioInput, "batch", AudioClips, 1, AudioMelBins, AudioClipFrames));
        graph.Output.Add(FloatValue(AudioOutput, "batch", AudioDimension));

        var weights = new TensorProto
        {
            Name = "projection",
            DataType = (int)TensorProto.Types.DataType.Float,
        };
        weights.Dims.Add([AudioMelBins, AudioDimension]);
        weights.FloatData.Add(AudioWeights(seed));
        graph.Initializer.Add(weights);

        var shape = new TensorProto
        {
            Name = "mean_shape",
            DataType = (int)TensorProto.Types.DataType.Int64,
        };
        shape.Dims.Add(2);
        shape.Int64Data.Add([-1, AudioMelBins]);
        graph.Initializer.Add(shape);

        var mean = new NodeProto { Name = "mean", OpType = "ReduceMean" };
        mean.Input.Add(AudioInput);
        mean.Output.Add("mean_spectrum");
        var axes = new AttributeProto { Name = "axes", Type = AttributeProto.Types.AttributeType.Ints };
        axes.Ints.Add([1, 4]);
        mean.Attribute.Add(axes);
        mean.Attribute.Add(new AttributeProto { Name = "keepdims", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        graph.Node.Add(mean);

        var reshape = new NodeProto { Name = "flatten", OpType = "Reshape" };
        reshape.Input.Add(["mean_spectrum", "mean_shape"]);
        reshape.Output.Add("mean_flat");
        graph.Node.Add(reshape);

        var project = new NodeProto { Name = "project", OpType = "MatMul" };
        project.Input.Add(["mean_flat", "projection"]);
        project.Output.Add(AudioOutput);
        graph.Node.Add(project);

        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "FreeBind.NET",
            DocString = $"Untrained audio encoder generated with seed {seed}: mean over clips and frames, then a random projection.",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    /// <summary>
    /// Generates the audio encoder's [128, 64] weight matrix in row-major order: uniform values in
    /// [-1/sqrt(128), 1/sqrt(128)) from a SplitMix64 generator started at <paramref name="seed"/>.
    /// </summary>
    /// <remarks>
    /// SplitMix64 is written out here, not taken from <see cref="Random"/>, because .NET does not
    /// promise the same seeded <see cref="Random"/> sequence across major versions, and the
    /// model bytes are part of every job fingerprint.
    /// </remarks>
    public static float[] AudioWeights(int seed = DefaultAudioSeed)
    {
        var state = (ulong)seed;
        var scale = 1.0 / Math.Sqrt(AudioMelBins);
        var weights = new float[AudioMelBins * AudioDimension];
        for (var i = 0; i < weights.Length; i++)
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;

            // The top 53 bits give a double in [0, 1).
            var unit = (z >> 11) * (1.0 / (1UL << 53));
            weights[i] = (float)(((unit * 2) - 1) * scale);
        }

        return weights;
    }

    private static ValueInfoProto FloatValue(string name, string batch, params long[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batch });
        foreach (var dimension in dimensions)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = shape,
                },
            },
        };
    }
}
