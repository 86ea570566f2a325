using Microsoft.ML.OnnxRuntime;

namespace FreeBind.Encoders;

/// <summary>
/// Sets up ONNX Runtime's process-wide environment once, whichever part of the process creates
/// the first session (encoders, fusion graphs or training products).
/// </summary>
public static class OnnxEnvironment
{
    static OnnxEnvironment()
    {
        // ORT's process-wide logger prints to stderr on its own, e.g. when the CUDA provider
        // library is missing; such failures are logged through ILogger instead.
        var environment = new EnvironmentCreationOptions { logLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL };
        try
        {
            OrtEnv.CreateInstanceWithOptions(ref environment);
        }
        catch (OnnxRuntimeException)
        {
            // Code outside FreeBind created the environment first; quieten it instead.
            OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        }
    }

    /// <summary>Creates the environment on the first call; later calls do nothing. Call before creating a session.</summary>
    public static void Ensure()
    {
        // The static constructor does the work, once, thread-safely.
    }
}
