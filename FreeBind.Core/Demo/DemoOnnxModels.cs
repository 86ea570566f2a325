using FreeBind.Bonds.Runtime;

using Google.Protobuf;

using Onnx;

namespace FreeBind.Demo;

/// <summary>Writes the demo world's encoders as ONNX models (opset 13, IR version 8).</summary>
/// <remarks>
/// Each feature encoder pools its preprocessed input to a short feature vector, then applies one
/// affine map. Each text encoder looks up one row per token id and averages the rows over the
/// context, so a caption's embedding is the mean of its word vectors (pad and special tokens
/// have zero rows).
/// </remarks>
internal static class DemoOnnxModels
{
    private const long IrVersion = 8;
    private const long Opset = 13;

    /// <summary>How a feature encoder pools its input to a feature vector.</summary>
    public enum Pooling
    {
        /// <summary>[batch, 3, 224, 224] pixels: 56 × 56 average pools, flattened to 48 values (channel, row, column).</summary>
        ImageTiles,

        /// <summary>[batch, clips, 1, mel bins, frames] Kaldi filter bank: mean over clips and frames per mel bin.</summary>
        FbankBands,

        /// <summary>[batch, 1, frames, mel bins] CLAP log-mel: mean over frames per mel bin.</summary>
        LogMelBands,
    }

    /// <summary>
    /// Builds a feature encoder: <paramref name="pooling"/> of input <paramref name="input"/>
    /// ([batch, ..<paramref name="inputDimensions"/>]), then features × <paramref name="weights"/>
    /// (row-major [features, dimension]) + <paramref name="bias"/>, named <paramref name="output"/>.
    /// <paramref name="name"/> names the graph and <paramref name="description"/> is the model's doc string.
    /// </summary>
    public static byte[] BuildFeatureEncoder(
        string name, string input, long[] inputDimensions, Pooling pooling,
        float[] weights, float[] bias, string output, string description)
    {
        var dimension = bias.Length;
        var features = weights.Length / dimension;
        var writer = new OnnxGraphWriter(name);
        writer.Graph.Input.Add(Value(input, TensorProto.Types.DataType.Float, inputDimensions));
        writer.Graph.Output.Add(Value(output, TensorProto.Types.DataType.Float, [dimension]));

        string pooled = pooling switch
        {
            Pooling.ImageTiles => writer.AddNode(
                "Flatten",
                "flatten",
                [writer.AddNode("AveragePool", "tiles", [input],
                    OnnxGraphWriter.IntsAttribute("kernel_shape", 56, 56),
                    OnnxGraphWriter.IntsAttribute("strides", 56, 56))],
                OnnxGraphWriter.IntAttribute("axis", 1)),
            Pooling.FbankBands => writer.AddNode("ReduceMean", "bands", [input],
                OnnxGraphWriter.IntsAttribute("axes", 1, 2, 4), OnnxGraphWriter.IntAttribute("keepdims", 0)),
            Pooling.LogMelBands => writer.AddNode("ReduceMean", "bands", [input],
                OnnxGraphWriter.IntsAttribute("axes", 1, 2), OnnxGraphWriter.IntAttribute("keepdims", 0)),
            _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "unknown pooling"),
        };

        var weightName = writer.AddFloatInitializer("readout_weight", weights, features, dimension);
        var biasName = writer.AddFloatInitializer("readout_bias", bias, dimension);
        var product = writer.AddNode("MatMul", "project", [pooled, weightName]);
        var shifted = writer.AddNode("Add", "shift", [product, biasName]);
        writer.AddIdentity(shifted, output);
        return Serialize(writer.Graph, description);
    }

    /// <summary>
    /// Builds a text encoder: Gather rows of <paramref name="table"/> (row-major [vocabulary,
    /// <paramref name="dimension"/>]) for <paramref name="inputIds"/> ([batch, <paramref name="contextLength"/>]),
    /// multiplied by <paramref name="attentionMask"/> when set, then the mean over tokens, named
    /// <paramref name="output"/>. <paramref name="name"/> names the graph and
    /// <paramref name="description"/> is the model's doc string.
    /// </summary>
    public static byte[] BuildTextEncoder(
        string name, string inputIds, string? attentionMask, int contextLength,
        float[] table, int dimension, string output, string description)
    {
        var vocabulary = table.Length / dimension;
        var writer = new OnnxGraphWriter(name);
        writer.Graph.Input.Add(Value(inputIds, TensorProto.Types.DataType.Int64, [contextLength]));
        if (attentionMask is not null)
        {
            writer.Graph.Input.Add(Value(attentionMask, TensorProto.Types.DataType.Int64, [contextLength]));
        }

        writer.Graph.Output.Add(Value(output, TensorProto.Types.DataType.Float, [dimension]));

        var tableName = writer.AddFloatInitializer("token_table", table, vocabulary, dimension);
        var rows = writer.AddNode("Gather", "rows", [tableName, inputIds], OnnxGraphWriter.IntAttribute("axis", 0));
        if (attentionMask is not null)
        {
            var mask = writer.AddNode("Cast", "mask", [attentionMask],
                OnnxGraphWriter.IntAttribute("to", (long)TensorProto.Types.DataType.Float));
            var axes = writer.AddInt64Initializer("mask_axes", 2);
            var expanded = writer.AddNode("Unsqueeze", "mask_expanded", [mask, axes]);
            rows = writer.AddNode("Mul", "masked_rows", [rows, expanded]);
        }

        var mean = writer.AddNode("ReduceMean", "mean", [rows],
            OnnxGraphWriter.IntsAttribute("axes", 1), OnnxGraphWriter.IntAttribute("keepdims", 0));
        writer.AddIdentity(mean, output);
        return Serialize(writer.Graph, description);
    }

    private static byte[] Serialize(GraphProto graph, string description)
    {
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "FreeBind.NET demo world",
            DocString = description,
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto Value(string name, TensorProto.Types.DataType type, long[] dimensions)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        foreach (var dimension in dimensions)
        {
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
        }

        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }
}
