using FreeBind.Encoders;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Bonds.Runtime;

/// <summary>
/// Runs a fusion plan or a projector ensemble, built by <see cref="FusionGraphBuilder"/>, in one
/// ONNX Runtime session.
/// </summary>
/// <remarks>
/// <see cref="Run"/> is thread-safe: ONNX Runtime allows concurrent runs on one session, and the
/// shared <see cref="RunOptions"/> is only read. Disposing the runner while a run is in flight is not
/// allowed.
/// </remarks>
public sealed partial class FusionRunner : IDisposable
{
    // One RunOptions for the runner's lifetime: ORT reads it during the native run, so it must not
    // be a temporary that the GC can finalize while a run is in flight.
    private readonly RunOptions _runOptions = new();
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly int[] _inputDimensions;
    private readonly Dictionary<string, string> _factorInputs;
    private readonly HashSet<string> _fixedBonds;

    static FusionRunner()
    {
        OnnxEnvironment.Ensure();
    }

    private FusionRunner(
        byte[] model,
        string[] inputNames,
        int[] inputDimensions,
        int outputDimension,
        Dictionary<string, string> factorInputs,
        HashSet<string> fixedBonds,
        FusionRunnerOptions options,
        ILogger logger)
    {
        _inputNames = inputNames;
        _inputDimensions = inputDimensions;
        _factorInputs = factorInputs;
        _fixedBonds = fixedBonds;
        OutputDimension = outputDimension;

        var (sessionOptions, provider) = CreateSessionOptions(options, logger);
        try
        {
            _session = new InferenceSession(model, sessionOptions);
        }
        catch (OnnxRuntimeException exception)
        {
            _runOptions.Dispose();
            throw new InvalidOperationException(
                $"ONNX Runtime cannot load the generated fusion graph on {provider}: {exception.Message}", exception);
        }
        finally
        {
            sessionOptions.Dispose();
        }

        Provider = provider;
        LogRunnerLoaded(logger, inputNames.Length, outputDimension, provider, model.Length);
    }

    /// <summary>Execution provider the session got: "CPU" or "CUDA:&lt;device&gt;".</summary>
    public string Provider { get; }

    /// <summary>Graph input names, in the order <see cref="Run"/> takes its inputs.</summary>
    public IReadOnlyList<string> InputNames => _inputNames;

    /// <summary>Dimension of each input, in the order of <see cref="InputNames"/>.</summary>
    public IReadOnlyList<int> InputDimensions => _inputDimensions;

    /// <summary>Dimension of each output row.</summary>
    public int OutputDimension { get; }

    /// <summary>Builds the graph of <paramref name="plan"/> and loads it.</summary>
    /// <exception cref="ArgumentException">The plan is invalid; see <see cref="FusionGraphBuilder.Build"/>.</exception>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot load, or ONNX Runtime rejects the graph.</exception>
    public static FusionRunner Create(
        FusionPlan plan, FusionGraphOptions graphOptions, FusionRunnerOptions options, ILogger? logger = null)
    {
        var model = FusionGraphBuilder.Build(plan, graphOptions);
        var factorInputs = graphOptions.FactorInputs
            ? plan.Steps.Where(s => !s.FactorFixed).ToDictionary(s => s.Bond, s => FusionGraphBuilder.FactorInputName(s.Bond))
            : [];
        var fixedBonds = plan.Steps.Where(s => s.FactorFixed).Select(s => s.Bond).ToHashSet();
        return new FusionRunner(
            model,
            plan.Inputs.Select(FusionGraphBuilder.InputName).ToArray(),
            plan.InputDimensions.ToArray(),
            plan.OutputDimension,
            factorInputs,
            fixedBonds,
            options,
            logger ?? NullLogger.Instance);
    }

    /// <summary>Builds the graph of one projector ensemble (see <see cref="FusionGraphBuilder.BuildEnsemble"/>) and loads it.</summary>
    /// <exception cref="ArgumentException">The members are invalid or their dimensions differ.</exception>
    /// <exception cref="InvalidOperationException">CUDA was required and cannot load, or ONNX Runtime rejects the graph.</exception>
    public static FusionRunner CreateEnsemble(
        IReadOnlyList<ProjectorWeights> members,
        FusionRunnerOptions options,
        ILogger? logger = null,
        ProjectorLayout layout = ProjectorLayout.PerMember)
    {
        var model = FusionGraphBuilder.BuildEnsemble(members, layout);
        var architecture = members[0].Architecture;
        return new FusionRunner(
            model,
            [FusionGraphBuilder.EnsembleInputName],
            [architecture.InputDimension],
            architecture.OutputDimension,
            [],
            [],
            options,
            logger ?? NullLogger.Instance);
    }

    /// <summary>Computes the fused embeddings of a batch.</summary>
    /// <param name="inputs">One row-major [batch, dimension] array per input, in the order of <see cref="InputNames"/>; not modified.</param>
    /// <param name="batch">Rows in each input; at least 1.</param>
    /// <param name="factorOverrides">Factors by bond name that replace the plan's factors for this call; bonds left out keep the plan's factor.</param>
    /// <returns>A new row-major [batch, <see cref="OutputDimension"/>] array, owned by the caller.</returns>
    /// <exception cref="ArgumentException">An input has the wrong length, or an override names a bond that has no factor input.</exception>
    public float[] Run(
        IReadOnlyList<float[]> inputs, int batch, IReadOnlyDictionary<string, float>? factorOverrides = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (inputs.Count != _inputNames.Length)
        {
            throw new ArgumentException(
                $"the graph takes {_inputNames.Length} inputs ({string.Join(", ", _inputNames)}) but {inputs.Count} were passed.",
                nameof(inputs));
        }

        var names = new List<string>(_inputNames.Length + (factorOverrides?.Count ?? 0));
        var values = new List<OrtValue>(names.Capacity);
        var output = new float[(long)batch * OutputDimension];
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                var expected = (long)batch * _inputDimensions[i];
                if (inputs[i] is null || inputs[i].Length != expected)
                {
                    throw new ArgumentException(
                        $"input '{_inputNames[i]}' has {inputs[i]?.Length.ToString() ?? "no"} values, expected {expected} " +
                        $"({batch} rows × {_inputDimensions[i]}).",
                        nameof(inputs));
                }

                names.Add(_inputNames[i]);
                values.Add(OrtValue.CreateTensorValueFromMemory(inputs[i], [batch, _inputDimensions[i]]));
            }

            foreach (var (bond, factor) in factorOverrides ?? new Dictionary<string, float>())
            {
                names.Add(FactorInput(bond, factor));
                values.Add(OrtValue.CreateTensorValueFromMemory(new[] { factor }, []));
            }

            using var outputValue = OrtValue.CreateTensorValueFromMemory(output, [batch, OutputDimension]);
            _session.Run(_runOptions, names, values, [FusionGraphBuilder.OutputName], [outputValue]);
            return output;
        }
        finally
        {
            foreach (var value in values)
            {
                value.Dispose();
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _runOptions.Dispose();
    }

    private string FactorInput(string bond, float factor)
    {
        if (_factorInputs.TryGetValue(bond, out var name))
        {
            return factor is >= 0f and <= 1f
                ? name
                : throw new ArgumentException($"factor override {factor} for bond '{bond}' is outside [0, 1].", nameof(factor));
        }

        var reason = _fixedBonds.Contains(bond)
            ? "its factor is fixed at 1"
            : _factorInputs.Count == 0
                ? "the graph was built without factor inputs (FusionGraphOptions.FactorInputs is false)"
                : $"it is not a bond of the plan (bonds with factors: {string.Join(", ", _factorInputs.Keys)})";
        throw new ArgumentException($"cannot override the factor of bond '{bond}': {reason}.", nameof(bond));
    }

    private static (SessionOptions Options, string Provider) CreateSessionOptions(FusionRunnerOptions options, ILogger logger)
    {
        var (sessionOptions, provider, fallbackReason) = OnnxSessionOptions.Create(
            options.Provider, options.DeviceId, options.IntraOpThreads, "fusion runner");
        if (fallbackReason is not null)
        {
            LogCudaUnavailable(logger, fallbackReason);
        }

        return (sessionOptions, provider);
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information,
        Message = "Fusion runner loaded a graph with {InputCount} inputs and output dimension {OutputDimension} on provider {Provider} ({ModelBytes} bytes)")]
    private static partial void LogRunnerLoaded(ILogger logger, int inputCount, int outputDimension, string provider, int modelBytes);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning,
        Message = "CUDA execution provider unavailable, the fusion runner runs on CPU: {Reason}")]
    private static partial void LogCudaUnavailable(ILogger logger, string reason);
}
