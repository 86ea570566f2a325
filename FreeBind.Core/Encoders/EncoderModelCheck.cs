using FreeBind.Spaces;

using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace FreeBind.Encoders;

/// <summary>Checks an encoder declaration against the input and output metadata of its model.</summary>
internal static class EncoderModelCheck
{
    /// <summary>Throws <see cref="EncoderStartupException"/> naming the first mismatch.</summary>
    public static void Check(string label, EncoderSpec spec, InferenceSession? preprocessSession, InferenceSession session)
    {
        var entry = preprocessSession ?? session;
        var produced = RecipeInputs.Describe(spec.Preprocess!);
        foreach (var input in produced)
        {
            if (!entry.InputMetadata.TryGetValue(input.Name, out var metadata))
            {
                throw new EncoderStartupException(
                    $"encoder '{label}': the recipe produces input '{input.Name}' but the model has inputs " +
                    $"[{string.Join(", ", entry.InputMetadata.Keys)}]: fix the input name in the recipe.");
            }

            var expectedType = input.IsInt64 ? TensorElementType.Int64 : TensorElementType.Float;
            if (metadata.ElementDataType != expectedType)
            {
                throw new EncoderStartupException(
                    $"encoder '{label}': input '{input.Name}' is {expectedType} in the recipe, " +
                    $"model declares {metadata.ElementDataType}.");
            }

            int[] expected = [-1, .. input.Shape];
            if (!ShapesAgree(expected, metadata.Dimensions))
            {
                throw new EncoderStartupException(
                    $"encoder '{label}': input '{input.Name}' expects {Format(expected)}, " +
                    $"model declares {Format(metadata.Dimensions)}.");
            }
        }

        foreach (var name in entry.InputMetadata.Keys)
        {
            if (produced.All(input => input.Name != name))
            {
                throw new EncoderStartupException(
                    $"encoder '{label}': model input '{name}' is not produced by the recipe " +
                    $"(it produces {string.Join(", ", produced.Select(p => p.Name))}).");
            }
        }

        if (preprocessSession is not null && preprocessSession.OutputMetadata.Count != 1)
        {
            throw new EncoderStartupException(
                $"encoder '{label}': the preprocess model must have one output, it has {preprocessSession.OutputMetadata.Count}.");
        }

        if (!session.OutputMetadata.TryGetValue(spec.Output, out var output))
        {
            throw new EncoderStartupException(
                $"encoder '{label}': output '{spec.Output}' not found; the model has outputs " +
                $"[{string.Join(", ", session.OutputMetadata.Keys)}].");
        }

        var dims = output.Dimensions;
        var perItem = spec.Pooling == "none" ? dims.Skip(1).ToArray() : dims.Skip(dims.Length - 1).ToArray();
        if (perItem.All(d => d > 0))
        {
            var size = perItem.Aggregate(1, (a, b) => a * b);
            if (size != spec.Dimension)
            {
                throw new EncoderStartupException(
                    $"encoder '{label}': output '{spec.Output}' has shape {Format(dims)}, which gives {size} values " +
                    $"per item with pooling '{spec.Pooling}', but \"dimension\" is {spec.Dimension}.");
            }
        }
    }

    private static bool ShapesAgree(int[] expected, int[] actual)
    {
        if (expected.Length != actual.Length)
        {
            return false;
        }

        for (var i = 1; i < expected.Length; i++)
        {
            if (expected[i] > 0 && actual[i] > 0 && expected[i] != actual[i])
            {
                return false;
            }
        }

        return true;
    }

    private static string Format(int[] shape) => $"[{string.Join(", ", shape)}]";
}
