namespace FreeBind.Storage;

/// <summary>A blob read that timed out or failed on every try, with a one-line message that
/// names the blob.</summary>
public sealed class BlobReadException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed, on which blob, and what to do next.</param>
    /// <param name="innerException">The storage client's exception, with each try's error.</param>
    public BlobReadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
