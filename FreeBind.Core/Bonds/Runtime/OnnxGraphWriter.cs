using System.Runtime.InteropServices;

using Google.Protobuf;

using Onnx;

namespace FreeBind.Bonds.Runtime;

/// <summary>Appends nodes, initializers and graph inputs to one ONNX graph with generated unique names.</summary>
internal sealed class OnnxGraphWriter(string graphName)
{
    private readonly Dictionary<float, string> _scalars = [];
    private int _nextId;

    public GraphProto Graph { get; } = new() { Name = graphName };

    /// <summary>Returns <paramref name="prefix"/> with a suffix that no other generated name has.</summary>
    public string UniqueName(string prefix) => $"{prefix}_{_nextId++}";

    /// <summary>Adds a node with one output and returns the output's name.</summary>
    public string AddNode(string opType, string prefix, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = UniqueName(prefix);
        var node = new NodeProto { Name = output, OpType = opType };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        Graph.Node.Add(node);
        return output;
    }

    /// <summary>Adds an Identity node that copies <paramref name="input"/> to <paramref name="output"/>.</summary>
    public void AddIdentity(string input, string output)
    {
        var node = new NodeProto { Name = output, OpType = "Identity" };
        node.Input.Add(input);
        node.Output.Add(output);
        Graph.Node.Add(node);
    }

    /// <summary>Adds a float initializer stored as little-endian raw data and returns its name.</summary>
    public string AddFloatInitializer(string name, ReadOnlySpan<float> values, params long[] dimensions)
    {
        // raw_data is little-endian by the ONNX specification; .NET on x64 and arm64 is too.
        var tensor = new TensorProto
        {
            Name = name,
            DataType = (int)TensorProto.Types.DataType.Float,
            RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values)),
        };
        tensor.Dims.Add(dimensions);
        Graph.Initializer.Add(tensor);
        return name;
    }

    /// <summary>Adds a one-dimensional int64 initializer (a shape or an axes list) and returns its name.</summary>
    public string AddInt64Initializer(string prefix, params long[] values)
    {
        var tensor = new TensorProto
        {
            Name = UniqueName(prefix),
            DataType = (int)TensorProto.Types.DataType.Int64,
        };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.Add(values);
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Returns the name of a float scalar initializer with <paramref name="value"/>, adding it once.</summary>
    public string Scalar(float value)
    {
        if (!_scalars.TryGetValue(value, out var name))
        {
            name = AddFloatInitializer(UniqueName("constant"), [value]);
            _scalars[value] = name;
        }

        return name;
    }

    /// <summary>Adds a float graph input of shape [batch, <paramref name="dimension"/>].</summary>
    public void AddBatchInput(string name, long dimension) => Graph.Input.Add(FloatValue(name, dimension));

    /// <summary>Adds a float graph output of shape [batch, <paramref name="dimension"/>].</summary>
    public void AddBatchOutput(string name, long dimension) => Graph.Output.Add(FloatValue(name, dimension));

    /// <summary>
    /// Adds a scalar float graph input with an initializer of the same name, which ONNX (IR version 4
    /// and later) uses as the value when a caller does not feed the input.
    /// </summary>
    public void AddScalarInputWithDefault(string name, float value)
    {
        Graph.Input.Add(new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto
            {
                TensorType = new TypeProto.Types.Tensor
                {
                    ElemType = (int)TensorProto.Types.DataType.Float,
                    Shape = new TensorShapeProto(),
                },
            },
        });
        AddFloatInitializer(name, [value]);
    }

    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    private static ValueInfoProto FloatValue(string name, long dimension)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = "batch" });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = dimension });
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
