using Google.Protobuf;

using Onnx;

namespace FreeBind.Bonds.Runtime;

/// <summary>
/// Joins encoder models and a fusion graph into one ONNX model whose inputs are the encoders'
/// preprocessed inputs (pixels, token ids, filter banks) instead of embeddings.
/// </summary>
/// <remarks>
/// Every name of an encoder graph gets the prefix <c>&lt;space&gt;/</c>, so the encoder's inputs
/// appear as, for example, <c>imagebind/pixel_values</c>. Pooling and L2 normalisation follow the
/// spaces file, then the result replaces the fusion graph's input for that space. The fusion graph
/// uses opset 17, so encoders must use default-domain opset 13 to 17; older models are rejected
/// because several operators changed meaning before opset 13.
/// </remarks>
public static class FusionGraphComposer
{
    private const long Opset = 17;
    private const long MinimumEncoderOpset = 13;

    /// <summary>Returns the composed model bytes.</summary>
    /// <exception cref="ArgumentException">An encoder's opset, output or pooling is unsupported, or its space is not a fusion input.</exception>
    public static byte[] Compose(byte[] fusionModel, IReadOnlyList<EncoderGraph> encoders)
    {
        var model = ModelProto.Parser.ParseFrom(fusionModel);
        var graph = model.Graph;

        // ONNX requires nodes in topological order, so the encoders' nodes, which produce the
        // fusion inputs, go before the fusion nodes that read them.
        var fusionNodes = graph.Node.ToList();
        graph.Node.Clear();
        foreach (var encoder in encoders)
        {
            var inputName = FusionGraphBuilder.InputName(encoder.Space);
            var fusionInput = graph.Input.FirstOrDefault(i => i.Name == inputName)
                ?? throw new ArgumentException(
                    $"space '{encoder.Space}' is not an input of the fusion graph (inputs: {string.Join(", ", graph.Input.Select(i => i.Name))}).",
                    nameof(encoders));
            var encoderModel = ModelProto.Parser.ParseFrom(encoder.Model);
            CheckEncoder(encoder, encoderModel);

            var prefix = $"{inputName}/";
            var encoderGraph = encoderModel.Graph;
            var initializerNames = encoderGraph.Initializer.Select(t => t.Name).ToHashSet();
            foreach (var node in encoderGraph.Node)
            {
                var copy = node.Clone();
                copy.Name = prefix + node.Name;
                Rename(copy.Input, prefix);
                Rename(copy.Output, prefix);
                graph.Node.Add(copy);
            }

            foreach (var initializer in encoderGraph.Initializer)
            {
                var copy = initializer.Clone();
                copy.Name = prefix + initializer.Name;
                graph.Initializer.Add(copy);
            }

            foreach (var input in encoderGraph.Input.Where(i => !initializerNames.Contains(i.Name)))
            {
                var copy = input.Clone();
                copy.Name = prefix + input.Name;
                graph.Input.Add(copy);
            }

            var pooled = AddPooling(graph, encoder, prefix + encoder.Output, prefix);
            if (encoder.Normalize)
            {
                pooled = AddNormalize(graph, pooled, prefix);
            }

            graph.Node.Add(Node("Identity", prefix + "to_fusion", [pooled], inputName));
            graph.Input.Remove(fusionInput);
        }

        graph.Node.Add(fusionNodes);
        model.IrVersion = Math.Max(model.IrVersion, 8);
        return model.ToByteArray();
    }

    private static void CheckEncoder(EncoderGraph encoder, ModelProto model)
    {
        var opset = model.OpsetImport.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version ?? 0;
        if (opset is < MinimumEncoderOpset or > Opset)
        {
            throw new ArgumentException(
                $"encoder of '{encoder.Space}' uses opset {opset}; composing needs opset {MinimumEncoderOpset} to {Opset}: " +
                "re-export the encoder with that opset, or export the fusion with embedding inputs.",
                nameof(encoder));
        }

        if (model.Graph.Output.All(o => o.Name != encoder.Output))
        {
            throw new ArgumentException(
                $"encoder of '{encoder.Space}' has no output '{encoder.Output}' (outputs: {string.Join(", ", model.Graph.Output.Select(o => o.Name))}).",
                nameof(encoder));
        }

        if (model.Graph.Node.Any(n => n.Attribute.Any(a => a.Type is AttributeProto.Types.AttributeType.Graph or AttributeProto.Types.AttributeType.Graphs)))
        {
            throw new ArgumentException($"encoder of '{encoder.Space}' has control-flow subgraphs, which composing does not support.", nameof(encoder));
        }
    }

    private static string AddPooling(GraphProto graph, EncoderGraph encoder, string output, string prefix)
    {
        switch (encoder.Pooling)
        {
            case "none":
                graph.Node.Add(Node("Flatten", prefix + "pooled", [output], prefix + "pooled", Int("axis", 1)));
                return prefix + "pooled";
            case "mean":
                graph.Node.Add(Node("ReduceMean", prefix + "pooled", [output], prefix + "pooled", Ints("axes", 1), Int("keepdims", 0)));
                return prefix + "pooled";
            case "first":
                graph.Initializer.Add(Int64Tensor(prefix + "first_index", [], 0));
                graph.Node.Add(Node("Gather", prefix + "pooled", [output, prefix + "first_index"], prefix + "pooled", Int("axis", 1)));
                return prefix + "pooled";
            case "masked-mean" when encoder.AttentionMask is not null:
                // sum_t(h[b,t,:] · m[b,t]) / max(sum_t m[b,t], 1)
                var mask = prefix + encoder.AttentionMask;
                graph.Node.Add(Node("Cast", prefix + "mask_float", [mask], prefix + "mask_float", Int("to", (long)TensorProto.Types.DataType.Float)));
                graph.Initializer.Add(Int64Tensor(prefix + "mask_axes", [1], 2));
                graph.Node.Add(Node("Unsqueeze", prefix + "mask_3d", [prefix + "mask_float", prefix + "mask_axes"], prefix + "mask_3d"));
                graph.Node.Add(Node("Mul", prefix + "masked", [output, prefix + "mask_3d"], prefix + "masked"));
                graph.Initializer.Add(Int64Tensor(prefix + "token_axis", [1], 1));
                graph.Node.Add(Node("ReduceSum", prefix + "sum", [prefix + "masked", prefix + "token_axis"], prefix + "sum", Int("keepdims", 0)));
                graph.Node.Add(Node("ReduceSum", prefix + "count", [prefix + "mask_3d", prefix + "token_axis"], prefix + "count", Int("keepdims", 0)));
                graph.Initializer.Add(FloatScalar(prefix + "one", 1f));
                graph.Node.Add(Node("Max", prefix + "count_clamped", [prefix + "count", prefix + "one"], prefix + "count_clamped"));
                graph.Node.Add(Node("Div", prefix + "pooled", [prefix + "sum", prefix + "count_clamped"], prefix + "pooled"));
                return prefix + "pooled";
            default:
                throw new ArgumentException(
                    $"pooling '{encoder.Pooling}' of '{encoder.Space}' cannot be composed (masked-mean needs the attention mask input).",
                    nameof(encoder));
        }
    }

    private static string AddNormalize(GraphProto graph, string input, string prefix)
    {
        // x / max(‖x‖₂, 1e-12), like torch.nn.functional.normalize.
        graph.Node.Add(Node("ReduceL2", prefix + "norm", [input], prefix + "norm", Ints("axes", 1), Int("keepdims", 1)));
        graph.Initializer.Add(FloatScalar(prefix + "epsilon", 1e-12f));
        graph.Node.Add(Node("Max", prefix + "norm_clamped", [prefix + "norm", prefix + "epsilon"], prefix + "norm_clamped"));
        graph.Node.Add(Node("Div", prefix + "normalized", [input, prefix + "norm_clamped"], prefix + "normalized"));
        return prefix + "normalized";
    }

    private static void Rename(Google.Protobuf.Collections.RepeatedField<string> names, string prefix)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i].Length > 0)
            {
                names[i] = prefix + names[i];
            }
        }
    }

    private static NodeProto Node(string opType, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        return node;
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static TensorProto Int64Tensor(string name, long[] dimensions, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(dimensions);
        tensor.Int64Data.Add(values);
        return tensor;
    }

    private static TensorProto FloatScalar(string name, float value)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.FloatData.Add(value);
        return tensor;
    }
}
