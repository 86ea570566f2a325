namespace FreeBind.Spaces;

/// <summary>The spaces file, or an encoder it declares, is invalid.</summary>
public sealed class SpacesFileException(string message, Exception? innerException = null)
    : Exception(message, innerException);
