using System.CommandLine;

using Microsoft.Extensions.Logging;

namespace FreeBind.Client.Commands;

/// <summary>Options shared by every command that talks to a cluster.</summary>
internal static class CommonOptions
{
    public static readonly Option<bool> Cluster = new("--cluster")
    {
        Description = "Connect to a running cluster instead of hosting a silo in this process.",
    };

    /// <summary>Gateway port that FreeBind.Silo opens by default.</summary>
    public const int DefaultGatewayPort = 30000;

    public static readonly Option<int> Gateway = new("--gateway")
    {
        Description = "Gateway port of a localhost cluster. Giving it implies --cluster.",
        DefaultValueFactory = _ => DefaultGatewayPort,
    };

    public static readonly Option<LogLevel> Verbosity = new("--log-level")
    {
        Description = "Minimum log level printed: Trace, Debug, Information, Warning, Error. Debug and Trace also print stack traces.",
        DefaultValueFactory = _ => LogLevel.Warning,
    };

    /// <summary>
    /// Returns true when the command connects to a running cluster: with <c>--cluster</c>, or with
    /// <c>--gateway</c> typed on the command line, which names a cluster and so implies it.
    /// </summary>
    public static bool UsesCluster(ParseResult parseResult) =>
        parseResult.GetValue(Cluster) || parseResult.GetResult(Gateway) is { Implicit: false };
}
