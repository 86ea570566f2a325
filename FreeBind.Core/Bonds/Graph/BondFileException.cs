namespace FreeBind.Bonds.Graph;

/// <summary>
/// The bond file is invalid, or a request to compile it (profile, factor override) does not fit it.
/// </summary>
public sealed class BondFileException(string message, Exception? innerException = null)
    : Exception(message, innerException);
