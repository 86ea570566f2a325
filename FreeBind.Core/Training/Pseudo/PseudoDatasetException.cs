namespace FreeBind.Training.Pseudo;

/// <summary>
/// A pseudo dataset cannot be built from the given bond, embeddings or options. The message names
/// the failing value and what to do.
/// </summary>
public sealed class PseudoDatasetException : Exception
{
    /// <summary>Creates the exception with the message shown to the user.</summary>
    public PseudoDatasetException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the message shown to the user and its cause.</summary>
    public PseudoDatasetException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
