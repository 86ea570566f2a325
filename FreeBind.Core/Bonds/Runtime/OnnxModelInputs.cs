using System.Globalization;

using Onnx;

namespace FreeBind.Bonds.Runtime;

/// <summary>Lists the inputs a caller feeds to an ONNX model, as written in the model's graph.</summary>
public static class OnnxModelInputs
{
    /// <summary>
    /// Returns one line per graph input: the name, shape and element type, for example
    /// <c>audio_text [batch, 512] float</c>, and for an input with a default value (an initializer of
    /// the same name) <c>factor_c_audio_text [] float, optional, default 0.5</c>.
    /// </summary>
    /// <remarks>
    /// Models of ONNX IR version 3 and earlier list every weight as a graph input too; the models
    /// that <see cref="FusionGraphBuilder"/> and <see cref="FusionGraphComposer"/> write do not.
    /// </remarks>
    /// <param name="model">Serialized ONNX model.</param>
    public static IReadOnlyList<string> Describe(byte[] model)
    {
        ArgumentNullException.ThrowIfNull(model);

        var graph = ModelProto.Parser.ParseFrom(model).Graph;
        var defaults = graph.Initializer.ToDictionary(initializer => initializer.Name, StringComparer.Ordinal);
        var lines = new List<string>();
        foreach (var input in graph.Input)
        {
            var tensor = input.Type?.TensorType;
            var shape = tensor?.Shape is null
                ? "?"
                : "[" + string.Join(", ", tensor.Shape.Dim.Select(FormatDimension)) + "]";
            var elementType = tensor is null
                ? "?"
                : ((TensorProto.Types.DataType)tensor.ElemType).ToString().ToLowerInvariant();
            var line = $"{input.Name} {shape} {elementType}";
            if (defaults.TryGetValue(input.Name, out var initializer))
            {
                // An input with an initializer of the same name takes that value when not fed.
                line += ScalarFloat(initializer) is { } value
                    ? $", optional, default {value.ToString(CultureInfo.InvariantCulture)}"
                    : ", optional";
            }

            lines.Add(line);
        }

        return lines;
    }

    private static float? ScalarFloat(TensorProto initializer)
    {
        if (initializer.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return null;
        }

        if (initializer.FloatData.Count == 1)
        {
            return initializer.FloatData[0];
        }

        return initializer.RawData.Length == sizeof(float) ? BitConverter.ToSingle(initializer.RawData.Span) : null;
    }

    private static string FormatDimension(TensorShapeProto.Types.Dimension dimension) =>
        dimension.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue
            ? dimension.DimValue.ToString(CultureInfo.InvariantCulture)
            : string.IsNullOrEmpty(dimension.DimParam) ? "?" : dimension.DimParam;
}
