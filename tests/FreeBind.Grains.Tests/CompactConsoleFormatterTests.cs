using FreeBind.Client;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FreeBind.Tests;

/// <summary>The CLI's default log format keeps an exception on its entry's line, without a stack trace.</summary>
public sealed class CompactConsoleFormatterTests
{
    [Fact]
    public void Exception_printed_on_one_line()
    {
        var exception = Thrown(new InvalidOperationException("bank modality 'audio' is not embedded\nby space 'image-text'"));

        var line = Format(LogLevel.Error, "Pseudo dataset job p1 failed", exception);

        Assert.StartsWith("fail: Demo.Category[7] Pseudo dataset job p1 failed (InvalidOperationException: bank modality", line[9..]);
        Assert.DoesNotContain("   at ", line);
        Assert.Equal(1, line.Count(c => c == '\n'));
    }

    [Fact]
    public void Repeated_reason_is_skipped()
    {
        var exception = Thrown(new InvalidOperationException("disk full"));

        var line = Format(LogLevel.Warning, "Shard 3 failed: disk full", exception);

        Assert.EndsWith("warn: Demo.Category[7] Shard 3 failed: disk full" + Environment.NewLine, line);
    }

    private static string Format(LogLevel level, string message, Exception exception)
    {
        var formatter = new CompactConsoleFormatter();
        using var writer = new StringWriter();
        var entry = new LogEntry<string>(level, "Demo.Category", new EventId(7), message, exception, (state, _) => state);
        formatter.Write(entry, scopeProvider: null, writer);
        return writer.ToString();
    }

    private static Exception Thrown(Exception exception)
    {
        try
        {
            throw exception;
        }
        catch (Exception caught)
        {
            return caught;
        }
    }
}
