using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Encoders;

/// <summary>Session options for the ONNX graphs FreeBind generates (fusion graphs and training products).</summary>
internal static class OnnxSessionOptions
{
    /// <summary>
    /// Creates options with full graph optimisation on <paramref name="provider"/>. Auto falls back to
    /// CPU when the CUDA provider cannot load and returns the reason; Cuda raises instead.
    /// </summary>
    /// <param name="provider">Execution provider to request.</param>
    /// <param name="deviceId">CUDA device index.</param>
    /// <param name="intraOpThreads">Threads inside one operator; 0 lets ONNX Runtime choose.</param>
    /// <param name="owner">Caller named in the error, e.g. "fusion runner".</param>
    /// <returns>The options, the provider used ("CPU" or "CUDA:&lt;device&gt;"), and the fallback reason or null.</returns>
    /// <exception cref="InvalidOperationException">Cuda was requested and the CUDA provider cannot load.</exception>
    public static (SessionOptions Options, string Provider, string? FallbackReason) Create(
        ExecutionProvider provider, int deviceId, int intraOpThreads, string owner)
    {
        OnnxEnvironment.Ensure();
        var sessionOptions = new SessionOptions
        {
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            IntraOpNumThreads = intraOpThreads,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        if (provider == ExecutionProvider.Cpu)
        {
            return (sessionOptions, "CPU", null);
        }

        // NOTE: the CUDA branch has only run on machines without a GPU, where it falls back to CPU.
        try
        {
            // ORT prints its own message to stderr when the CUDA library is missing; FATAL keeps
            // stderr clean, and the caller logs the returned reason instead.
            sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
            sessionOptions.AppendExecutionProvider_CUDA(deviceId);
            sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            return (sessionOptions, $"CUDA:{deviceId}", null);
        }
        catch (Exception exception) when (exception is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            sessionOptions.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            var reason = exception.Message.Split('\n')[0];
            if (provider == ExecutionProvider.Cuda)
            {
                sessionOptions.Dispose();
                throw new InvalidOperationException(
                    $"{owner}: provider Cuda was requested but the CUDA execution provider cannot load on device " +
                    $"{deviceId} ({reason}): install CUDA 13 and cuDNN 9, or set the provider to Auto or Cpu.",
                    exception);
            }

            return (sessionOptions, "CPU", reason);
        }
    }
}
