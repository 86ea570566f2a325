namespace FreeBind.Jobs;

/// <summary>
/// A job cannot start because its spaces file, an encoder or its model is invalid. Grains raise
/// it in place of library exceptions so the message reaches clients on any silo.
/// </summary>
[GenerateSerializer, Alias("FreeBind.JobConfigurationException")]
public sealed class JobConfigurationException : Exception
{
    /// <summary>Creates the exception with the message shown to the user.</summary>
    public JobConfigurationException(string message)
        : base(message)
    {
    }
}
