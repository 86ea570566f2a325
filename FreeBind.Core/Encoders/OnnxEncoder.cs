using System.Buffers;
using System.Numerics.Tensors;

using FreeBind.Media;
using FreeBind.Spaces;
using FreeBind.Text;

using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Encoders;

/// <summary>
/// One encoder (a space's model for one modality) loaded into ONNX Runtime: batches
/// preprocessed items, runs the model and returns pooled, normalised embeddings.
/// </summary>
/// <remarks>
/// One instance is shared by every shard on a silo; <see cref="Encode"/> is thread-safe
/// because <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/> is.
/// </remarks>
public sealed class OnnxEncoder : IDisposable
{
    // One RunOptions for the encoder's lifetime: ORT reads it during native Run, so it must not
    // be a temporary that the GC can finalize while a run is in flight.
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession? _preprocessSession;
    private readonly InferenceSession _session;

    // Batch input arrays, reused between batches. A private pool keeps at most one array per
    // stream and size, because the shared pool would keep one in every thread that returned one.
    private readonly ArrayPool<float> _batchArrays;
    private readonly IReadOnlyList<ModelInput> _inputs;
    private readonly string? _attentionMaskName;
    private readonly int _contextLength;

    internal OnnxEncoder(
        string space,
        EncoderSpec spec,
        IPreprocessor preprocessor,
        InferenceSession? preprocessSession,
        InferenceSession session,
        string fingerprint,
        string provider,
        InferencePlan plan)
    {
        Plan = plan;
        _batchArrays = ArrayPool<float>.Create(maxArrayLength: 1 << 28, maxArraysPerBucket: Math.Max(1, plan.Streams));
        Space = space;
        Spec = spec;
        Preprocessor = preprocessor;
        _preprocessSession = preprocessSession;
        _session = session;
        Fingerprint = fingerprint;
        Provider = provider;
        _inputs = RecipeInputs.Describe(spec.Preprocess!);
        if (spec.Preprocess is TextRecipe text)
        {
            _attentionMaskName = text.AttentionMask;
            _contextLength = text.ContextLength;
        }
    }

    /// <summary>Space this encoder belongs to.</summary>
    public string Space { get; }

    /// <summary>The encoder's declaration.</summary>
    public EncoderSpec Spec { get; }

    /// <summary>Turns raw bytes into this encoder's inputs.</summary>
    public IPreprocessor Preprocessor { get; }

    /// <summary>Hash of the model bytes and the encoder declaration; written to every output row.</summary>
    public string Fingerprint { get; }

    /// <summary>Execution provider the session got: CUDA or CPU.</summary>
    public string Provider { get; }

    /// <summary>Batches that may run at once and threads per run, chosen when the encoder loaded.</summary>
    public InferencePlan Plan { get; }

    /// <summary>"space/modality", as errors and logs name the encoder.</summary>
    public string Label => $"{Space}/{Spec.Modality.ToName()}";

    /// <summary>Runs the model on a batch and returns one embedding per item, in order.</summary>
    /// <remarks>The returned arrays belong to the caller.</remarks>
    public float[][] Encode(IReadOnlyList<PreprocessedItem> items)
    {
        ArgumentOutOfRangeException.ThrowIfZero(items.Count);

        var batch = items.Count;
        var names = new List<string>(_inputs.Count);
        var values = new List<OrtValue>(_inputs.Count);
        var rented = new List<float[]>(_inputs.Count);
        long[]? attentionMask = null;
        var tokenLength = 0;
        try
        {
            foreach (var input in _inputs)
            {
                var tensors = items.Select(item => Find(item, input.Name)).ToList();
                names.Add(input.Name);
                if (input.IsInt64)
                {
                    var (data, length) = StackInt64(tensors);
                    values.Add(OrtValue.CreateTensorValueFromMemory(data, [batch, length]));
                    if (input.Name == _attentionMaskName)
                    {
                        attentionMask = data;
                        tokenLength = length;
                    }
                }
                else
                {
                    var itemShape = tensors[0].Shape;
                    var (data, length) = StackFloat(tensors, input.Name);
                    rented.Add(data);
                    long[] shape = [batch, .. itemShape.Select(d => (long)d)];
                    values.Add(OrtValue.CreateTensorValueFromMemory(
                        OrtMemoryInfo.DefaultInstance, data.AsMemory(0, length), shape));
                }
            }

            if (_preprocessSession is null)
            {
                using var outputs = _session.Run(_runOptions, names, values, [Spec.Output]);
                return Pool(outputs[0], batch, attentionMask, tokenLength);
            }

            // The preprocessing model's output feeds the encoder as it is, without a copy.
            using var prepared = _preprocessSession.Run(
                _runOptions, names, values, [_preprocessSession.OutputNames[0]]);
            using var encoded = _session.Run(_runOptions, [_session.InputNames[0]], [prepared[0]], [Spec.Output]);
            return Pool(encoded[0], batch, attentionMask, tokenLength);
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }

            foreach (var array in rented)
            {
                _batchArrays.Return(array);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _preprocessSession?.Dispose();
        _session.Dispose();
        _runOptions.Dispose();
    }

    private float[][] Pool(OrtValue output, int batch, long[]? attentionMask, int tokenLength)
    {
        var shape = output.GetTensorTypeAndShape().Shape;
        var data = output.GetTensorDataAsSpan<float>();
        var perItem = data.Length / batch;
        var dimension = Spec.Dimension;
        var result = new float[batch][];
        for (var b = 0; b < batch; b++)
        {
            var item = data.Slice(b * perItem, perItem);
            var vector = new float[dimension];
            switch (Spec.Pooling)
            {
                case "none":
                    EnsureLength(item.Length, shape);
                    item.CopyTo(vector);
                    break;
                case "first":
                    item[..dimension].CopyTo(vector);
                    break;
                case "mean":
                case "masked-mean":
                    var tokens = perItem / dimension;
                    var count = 0;
                    for (var t = 0; t < tokens; t++)
                    {
                        var masked = Spec.Pooling == "masked-mean" && attentionMask is not null
                            && t < tokenLength && attentionMask[(b * tokenLength) + t] == 0;
                        if (masked)
                        {
                            continue;
                        }

                        TensorPrimitives.Add(vector, item.Slice(t * dimension, dimension), vector);
                        count++;
                    }

                    TensorPrimitives.Divide(vector, Math.Max(count, 1), vector);
                    break;
            }

            if (Spec.Normalize)
            {
                var norm = TensorPrimitives.Norm(vector);
                if (norm > 0 && float.IsFinite(norm))
                {
                    TensorPrimitives.Divide(vector, norm, vector);
                }
            }

            result[b] = vector;
        }

        return result;
    }

    private void EnsureLength(int length, long[] shape)
    {
        if (length != Spec.Dimension)
        {
            throw new EncoderStartupException(
                $"encoder '{Label}': output '{Spec.Output}' has shape [{string.Join(", ", shape)}], " +
                $"{length} values per item, but \"dimension\" is {Spec.Dimension}: fix the dimension or the pooling.");
        }
    }

    private static NamedTensor Find(PreprocessedItem item, string name)
    {
        foreach (var tensor in item.Inputs)
        {
            if (tensor.Name == name)
            {
                return tensor;
            }
        }

        throw new InvalidOperationException($"Preprocessed item has no input '{name}'.");
    }

    // Copies the items into one pooled array, because a new 9.6 MB array per batch of 16 images
    // costs fresh zeroed pages. Encode returns it after the run.
    private (float[] Data, int Length) StackFloat(List<NamedTensor> tensors, string name)
    {
        var perItem = tensors[0].Floats!.Length;
        var length = perItem * tensors.Count;
        var data = _batchArrays.Rent(length);
        try
        {
            for (var i = 0; i < tensors.Count; i++)
            {
                var values = tensors[i].Floats
                    ?? throw new InvalidOperationException($"Input '{name}' of item {i} is not float32.");
                if (values.Length != perItem)
                {
                    throw new InvalidOperationException(
                        $"Input '{name}' of item {i} has {values.Length} values, item 0 has {perItem}.");
                }

                values.CopyTo(data, i * perItem);
            }
        }
        catch
        {
            _batchArrays.Return(data);
            throw;
        }

        return (data, length);
    }

    private (long[] Data, int Length) StackInt64(List<NamedTensor> tensors)
    {
        var length = tensors.Max(t => t.Int64s!.Length);
        if (Spec.Preprocess is TextRecipe { Padding: "fixed" })
        {
            length = Math.Max(length, _contextLength);
        }

        var data = new long[length * tensors.Count];
        for (var i = 0; i < tensors.Count; i++)
        {
            var values = tensors[i].Int64s!;
            values.CopyTo(data, i * length);
            if (tensors[i].PadValue != 0)
            {
                Array.Fill(data, tensors[i].PadValue, (i * length) + values.Length, length - values.Length);
            }
        }

        return (data, length);
    }
}
