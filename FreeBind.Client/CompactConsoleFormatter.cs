using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace FreeBind.Client;

/// <summary>
/// Writes each log entry on one line, "HH:mm:ss level: category[event] message", and an
/// exception as its type and message instead of a stack trace. The CLI uses it at its default
/// log levels, because a failed job already ends with a one-line error. With --log-level Debug
/// or Trace the CLI uses the simple formatter, which prints stack traces.
/// </summary>
internal sealed class CompactConsoleFormatter() : ConsoleFormatter(FormatterName)
{
    /// <summary>Name to select this formatter with.</summary>
    public const string FormatterName = "freebind-compact";

    /// <inheritdoc />
    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }

        textWriter.Write($"{DateTime.Now:HH:mm:ss} {LevelName(logEntry.LogLevel)}: {logEntry.Category}[{logEntry.EventId.Id}] ");
        textWriter.Write(OneLine(message));
        for (var exception = logEntry.Exception; exception is not null; exception = exception.InnerException)
        {
            // The message often ends with the reason already, so only a different one is added.
            if (!message.Contains(exception.Message, StringComparison.Ordinal))
            {
                textWriter.Write($" ({exception.GetType().Name}: {OneLine(exception.Message)})");
            }
        }

        textWriter.WriteLine();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString().ToLowerInvariant(),
    };
}
