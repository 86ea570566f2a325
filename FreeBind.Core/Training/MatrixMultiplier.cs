using FreeBind.Encoders;

using Google.Protobuf;

using Microsoft.ML.OnnxRuntime;

using Onnx;

namespace FreeBind.Training;

/// <summary>
/// Float32 matrix products run by ONNX Runtime: one generated single-node Gemm graph per
/// <see cref="MatrixLayout"/>, with every dimension dynamic, each loaded once for the
/// multiplier's lifetime.
/// </summary>
/// <remarks>
/// Operands and results are caller-owned arrays wrapped in <see cref="OrtValue"/>s without copies
/// (on CPU); an array may be longer than the matrix, and only its first rows × columns values are
/// read or written. <see cref="Multiply"/> is thread-safe because ONNX Runtime allows concurrent
/// runs on one session.
/// </remarks>
internal sealed class MatrixMultiplier : IDisposable
{
    private const long IrVersion = 8;
    private const long Opset = 17;
    private static readonly string[] InputNames = ["a", "b"];
    private static readonly string[] OutputNames = ["c"];

    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession[] _sessions;

    static MatrixMultiplier()
    {
        OnnxEnvironment.Ensure();
    }

    public MatrixMultiplier(TrainingShardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (sessionOptions, provider) = CreateSessionOptions(options);
        try
        {
            _sessions = Enum.GetValues<MatrixLayout>()
                .Select(layout => new InferenceSession(BuildGemm(layout), sessionOptions))
                .ToArray();
        }
        finally
        {
            sessionOptions.Dispose();
        }

        Provider = provider;
    }

    /// <summary>Execution provider of the sessions: "CPU" or "CUDA:&lt;device&gt;".</summary>
    public string Provider { get; }

    /// <summary>
    /// Computes <c>c = op(a) · op(b)</c> where <paramref name="a"/> is stored as [aRows, aColumns]
    /// and <paramref name="b"/> as [bRows, bColumns], both row-major before any transpose.
    /// </summary>
    public void Multiply(
        MatrixLayout layout,
        float[] a,
        int aRows,
        int aColumns,
        float[] b,
        int bRows,
        int bColumns,
        float[] c)
    {
        int resultRows = layout == MatrixLayout.TransposeLeft ? aColumns : aRows;
        int inner = layout == MatrixLayout.TransposeLeft ? aRows : aColumns;
        int rightInner = layout == MatrixLayout.TransposeRight ? bColumns : bRows;
        int resultColumns = layout == MatrixLayout.TransposeRight ? bRows : bColumns;
        if (inner != rightInner)
        {
            throw new ArgumentException(
                $"matrix product {layout}: inner dimensions {inner} and {rightInner} differ "
                + $"(a is [{aRows}, {aColumns}], b is [{bRows}, {bColumns}])");
        }

        using OrtValue left = Wrap(a, aRows, aColumns, nameof(a));
        using OrtValue right = Wrap(b, bRows, bColumns, nameof(b));
        using OrtValue result = Wrap(c, resultRows, resultColumns, nameof(c));
        _sessions[(int)layout].Run(_runOptions, InputNames, [left, right], OutputNames, [result]);
    }

    public void Dispose()
    {
        foreach (InferenceSession session in _sessions)
        {
            session.Dispose();
        }

        _runOptions.Dispose();
    }

    private static OrtValue Wrap(float[] values, int rows, int columns, string name)
    {
        long length = (long)rows * columns;
        if (values.Length < length)
        {
            throw new ArgumentException(
                $"matrix '{name}' needs {rows} × {columns} = {length} values but its buffer has {values.Length}", name);
        }

        return OrtValue.CreateTensorValueFromMemory(
            OrtMemoryInfo.DefaultInstance, new Memory<float>(values, 0, (int)length), [rows, columns]);
    }

    private static byte[] BuildGemm(MatrixLayout layout)
    {
        var node = new NodeProto { Name = "gemm", OpType = "Gemm" };
        node.Input.Add(InputNames);
        node.Output.Add(OutputNames);
        node.Attribute.Add(new AttributeProto
        {
            Name = "transA",
            Type = AttributeProto.Types.AttributeType.Int,
            I = layout == MatrixLayout.TransposeLeft ? 1 : 0,
        });
        node.Attribute.Add(new AttributeProto
        {
            Name = "transB",
            Type = AttributeProto.Types.AttributeType.Int,
            I = layout == MatrixLayout.TransposeRight ? 1 : 0,
        });

        var graph = new GraphProto { Name = $"freebind_training_gemm_{layout}" };
        graph.Node.Add(node);
        graph.Input.Add(Matrix("a", "a_rows", "a_columns"));
        graph.Input.Add(Matrix("b", "b_rows", "b_columns"));
        graph.Output.Add(Matrix("c", "c_rows", "c_columns"));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "FreeBind.NET",
            DocString = $"FreeBind training matrix product ({layout}).",
            Graph = graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model.ToByteArray();
    }

    private static ValueInfoProto Matrix(string name, string rows, string columns)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = rows });
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = columns });
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

    // NOTE: on CUDA every product copies its operands to the device and back, because the
    // buffers live in host memory.
    private static (SessionOptions Options, string Provider) CreateSessionOptions(TrainingShardOptions options)
    {
        var (sessionOptions, provider, _) = OnnxSessionOptions.Create(
            options.Provider, options.DeviceId, options.IntraOpThreads, "training shard");
        return (sessionOptions, provider);
    }
}
