using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;

using FreeBind.Media;
using FreeBind.Spaces;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Encoders;

/// <summary>
/// Loads each encoder once per process and shares it between every shard and grain activation.
/// Disposing the catalog (when the silo stops) disposes every session.
/// </summary>
public sealed partial class EncoderCatalog(
    IOptions<EncoderOptions> options,
    ModelResolver resolver,
    ILogger<EncoderCatalog> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<OnnxEncoder>>> _encoders = new();
    private readonly Lock _providerLock = new();
    private bool? _cudaAvailable;

    static EncoderCatalog()
    {
        OnnxEnvironment.Ensure();
    }

    /// <summary>The effective encoder options.</summary>
    public EncoderOptions Options => options.Value;

    /// <summary>
    /// Returns the encoder of <paramref name="space"/> for <paramref name="modality"/>, loading and
    /// checking it against the model's metadata on first use.
    /// </summary>
    /// <exception cref="EncoderStartupException">The model does not match the declaration, or CUDA was required and cannot load.</exception>
    /// <exception cref="SpacesFileException">The model file cannot be found.</exception>
    public async Task<OnnxEncoder> GetAsync(
        SpacesFile spaces, string space, Modality modality, CancellationToken cancellationToken)
    {
        var spec = spaces.GetSpace(space).Encoders.FirstOrDefault(e => e.Modality == modality)
            ?? throw new SpacesFileException($"space '{space}' has no encoder for {modality.ToName()}.");
        var key = $"{spaces.BaseDirectory}|{space}|{JsonSerializer.Serialize(spec)}";
        var lazy = _encoders.GetOrAdd(key, _ => new Lazy<Task<OnnxEncoder>>(
            () => LoadAsync(spaces, space, spec, cancellationToken)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            // A failed load must not be cached: the next job may have fixed the file.
            _encoders.TryRemove(new KeyValuePair<string, Lazy<Task<OnnxEncoder>>>(key, lazy));
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var lazy in _encoders.Values)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully)
            {
                lazy.Value.Result.Dispose();
            }
        }

        _encoders.Clear();
    }

    private async Task<OnnxEncoder> LoadAsync(
        SpacesFile spaces, string space, EncoderSpec spec, CancellationToken cancellationToken)
    {
        var label = $"{space}/{spec.Modality.ToName()}";
        var model = await resolver.ReadAsync(spec.Model, spaces.BaseDirectory, cancellationToken).ConfigureAwait(false);
        var preprocessModel = spec.PreprocessModel is null
            ? null
            : await resolver.ReadAsync(spec.PreprocessModel, spaces.BaseDirectory, cancellationToken).ConfigureAwait(false);
        var fingerprint = ComputeFingerprint(spec, model, preprocessModel);

        if (spec.DynamicBatch)
        {
            model = OnnxModelPatcher.MakeBatchDynamic(model);
            preprocessModel = preprocessModel is null ? null : OnnxModelPatcher.MakeBatchDynamic(preprocessModel);
        }

        var preprocessor = spec.Preprocess!.CreatePreprocessor(spaces.BaseDirectory);
        var (sessionOptions, provider) = CreateSessionOptions(label);
        var plan = InferencePlan.Choose(options.Value, cpu: provider == "CPU", Environment.ProcessorCount);
        sessionOptions.IntraOpNumThreads = plan.IntraOpThreads;
        InferenceSession? preprocessSession = null;
        InferenceSession? session = null;
        try
        {
            preprocessSession = preprocessModel is null ? null : new InferenceSession(preprocessModel, sessionOptions);
            session = new InferenceSession(model, sessionOptions);
            EncoderModelCheck.Check(label, spec, preprocessSession, session);
        }
        catch (OnnxRuntimeException exception)
        {
            preprocessSession?.Dispose();
            session?.Dispose();
            throw new EncoderStartupException(
                $"encoder '{label}': ONNX Runtime cannot load model '{spec.Model}': {exception.Message}", exception);
        }
        catch
        {
            preprocessSession?.Dispose();
            session?.Dispose();
            throw;
        }
        finally
        {
            sessionOptions.Dispose();
        }

        LogEncoderLoaded(label, spec.Model, provider, plan.Streams, plan.IntraOpThreads, fingerprint[..12]);
        return new OnnxEncoder(space, spec, preprocessor, preprocessSession, session, fingerprint, provider, plan);
    }

    private (SessionOptions Options, string Provider) CreateSessionOptions(string label)
    {
        var settings = options.Value;
        var sessionOptions = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (!settings.IntraOpSpinning)
        {
            sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        }

        if (settings.Provider == ExecutionProvider.Cpu)
        {
            return (sessionOptions, "CPU");
        }

        lock (_providerLock)
        {
            if (_cudaAvailable == false && settings.Provider == ExecutionProvider.Auto)
            {
                return (sessionOptions, "CPU");
            }

            try
            {
                // ORT prints its own message to stderr when the CUDA library is missing;
                // FATAL keeps stderr clean, and the failure is logged below instead.
                sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
                sessionOptions.AppendExecutionProvider_CUDA(settings.DeviceId);
                sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
                _cudaAvailable = true;
                return (sessionOptions, $"CUDA:{settings.DeviceId}");
            }
            catch (Exception exception) when (exception is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
            {
                sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
                if (settings.Provider == ExecutionProvider.Cuda)
                {
                    sessionOptions.Dispose();
                    throw new EncoderStartupException(
                        $"encoder '{label}': provider Cuda was requested but the CUDA execution provider cannot load " +
                        $"on device {settings.DeviceId} ({exception.Message.Split('\n')[0]}): install CUDA 13 and cuDNN 9, " +
                        "or set FreeBind:Encoders:Provider to Auto or Cpu.",
                        exception);
                }

                _cudaAvailable = false;
                LogCudaUnavailable(exception.Message.Split('\n')[0]);
                return (sessionOptions, "CPU");
            }
        }
    }

    private static string ComputeFingerprint(EncoderSpec spec, byte[] model, byte[]? preprocessModel)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(model);
        if (preprocessModel is not null)
        {
            hash.AppendData(preprocessModel);
        }

        hash.AppendData(JsonSerializer.SerializeToUtf8Bytes(spec));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information,
        Message = "Encoder {Encoder} loaded model {Model} on provider {Provider}, {Streams} inference stream(s) × {Threads} intra-op thread(s) (fingerprint {Fingerprint})")]
    private partial void LogEncoderLoaded(string encoder, string model, string provider, int streams, int threads, string fingerprint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning,
        Message = "CUDA execution provider unavailable, encoders run on CPU: {Reason}")]
    private partial void LogCudaUnavailable(string reason);
}
