namespace FreeBind.Encoders;

/// <summary>An encoder cannot start: its model does not match the spaces file, or the provider cannot load.</summary>
public sealed class EncoderStartupException(string message, Exception? innerException = null)
    : Exception(message, innerException);
