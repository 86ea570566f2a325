using Onnx;

namespace FreeBind.Encoders;

/// <summary>Edits ONNX model protobufs before they are loaded.</summary>
public static class OnnxModelPatcher
{
    /// <summary>
    /// Replaces the first dimension of every graph input and output by the symbolic dimension
    /// <c>batch</c> and drops intermediate shape annotations that pinned it, so models exported
    /// with batch size 1 (such as ML.NET's ResNet18) run batches of any size.
    /// </summary>
    public static byte[] MakeBatchDynamic(byte[] model)
    {
        var proto = ModelProto.Parser.ParseFrom(model);
        foreach (var value in proto.Graph.Input.Concat(proto.Graph.Output))
        {
            var shape = value.Type?.TensorType?.Shape;
            if (shape is null || shape.Dim.Count == 0)
            {
                continue;
            }

            shape.Dim[0].ClearValue();
            shape.Dim[0].DimParam = "batch";
        }

        proto.Graph.ValueInfo.Clear();
        return Google.Protobuf.MessageExtensions.ToByteArray(proto);
    }
}
