namespace FreeBind.Client;

/// <summary>No gateway of the cluster named by <c>--cluster</c> accepted a connection.</summary>
internal sealed class ClusterUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
