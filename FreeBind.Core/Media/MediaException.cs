namespace FreeBind.Media;

/// <summary>
/// Raised when one input item cannot be read, decoded or preprocessed. The job turns it into an
/// error row for that item and carries on with the rest.
/// </summary>
/// <param name="stage">Pipeline stage that failed: read, decode, preprocess, encode or write.</param>
/// <param name="message">What failed, naming the value and what to do.</param>
/// <param name="innerException">The underlying error, if any.</param>
public sealed class MediaException(string stage, string message, Exception? innerException = null)
    : Exception(message, innerException)
{
    /// <summary>Pipeline stage that failed.</summary>
    public string Stage { get; } = stage;
}
