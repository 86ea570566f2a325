using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FreeBind.Tests.Infrastructure;

/// <summary>
/// Keeps every log record of every category and level as text: the formatted message, each
/// structured state value, the full exception text and every scope's state.
/// </summary>
/// <remarks>
/// TestCluster creates silo and client configurators by type, so a test hands a provider to
/// them through <see cref="Register"/> and a configuration property that contains the key.
/// </remarks>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    /// <summary>Configuration key (a TestCluster property) whose value names a registered provider.</summary>
    public const string KeyProperty = "FreeBindTests:LogCapture";

    private static readonly ConcurrentDictionary<string, CapturingLoggerProvider> Registered = new(StringComparer.Ordinal);

    private readonly ConcurrentQueue<string> _lines = new();
    private readonly object _waitersLock = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    /// <summary>Every record captured so far, one string per record or scope.</summary>
    public IReadOnlyList<string> Lines => _lines.ToArray();

    /// <summary>Creates a provider and registers it under a new key, which it returns.</summary>
    public static (string Key, CapturingLoggerProvider Provider) Register()
    {
        var key = Guid.NewGuid().ToString("N");
        var provider = new CapturingLoggerProvider();
        Registered[key] = provider;
        return (key, provider);
    }

    /// <summary>Removes a provider registered by <see cref="Register"/>.</summary>
    public static void Unregister(string key) => Registered.TryRemove(key, out _);

    /// <summary>
    /// Adds the provider named by <paramref name="key"/> at trace level for every category, so
    /// configuration-based filters cannot hide records from it. Does nothing when the key is null.
    /// </summary>
    public static void AddTo(IServiceCollection services, string? key)
    {
        if (key is null)
        {
            return;
        }

        var provider = Registered.TryGetValue(key, out var found)
            ? found
            : throw new InvalidOperationException($"No log capture is registered under '{key}'; call Register first.");
        services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Trace)
            .AddProvider(provider)
            .AddFilter<CapturingLoggerProvider>(null, LogLevel.Trace));
    }

    /// <summary>Returns the captured records that contain <paramref name="text"/>.</summary>
    public IReadOnlyList<string> Find(string text) =>
        Lines.Where(line => line.Contains(text, StringComparison.Ordinal)).ToList();

    /// <summary>
    /// Returns the first record, already captured or still to come, that <paramref name="match"/>
    /// accepts; throws <see cref="TimeoutException"/> when none arrives within <paramref name="timeout"/>.
    /// </summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, TimeSpan timeout)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waitersLock)
        {
            _waiters.Add((match, found));
        }

        // Checked after registering, so a record added in between is seen by one path or the other.
        if (Lines.FirstOrDefault(match) is { } existing)
        {
            found.TrySetResult(existing);
        }

        try
        {
            return await found.Task.WaitAsync(timeout);
        }
        catch (TimeoutException exception)
        {
            throw new TimeoutException($"No matching log record within {timeout.TotalSeconds} s among {Lines.Count} captured.", exception);
        }
        finally
        {
            lock (_waitersLock)
            {
                _waiters.RemoveAll(w => w.Found == found);
            }
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
        // The captured lines outlive the hosts that log into them.
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        lock (_waitersLock)
        {
            foreach (var (match, found) in _waiters)
            {
                if (match(line))
                {
                    found.TrySetResult(line);
                }
            }
        }
    }

    private static void AppendValue(StringBuilder text, object? value)
    {
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case string s:
                text.Append(s);
                break;
            case IEnumerable items:
                text.Append('[');
                foreach (var item in items)
                {
                    AppendValue(text, item);
                    text.Append(", ");
                }

                text.Append(']');
                break;
            default:
                text.Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static void AppendState(StringBuilder text, object? state)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                text.Append(" | ").Append(key).Append('=');
                AppendValue(text, value);
            }
        }
        else if (state is not null)
        {
            text.Append(" | state=");
            AppendValue(text, state);
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            var text = new StringBuilder("scope ").Append(category).Append(": ").Append(state.ToString());
            AppendState(text, state);
            provider.Add(text.ToString());
            return NoScope.Instance;
        }

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder()
                .Append(logLevel).Append(' ').Append(category).Append('[').Append(eventId.Id).Append("] ")
                .Append(formatter(state, exception));
            AppendState(text, state);
            if (exception is not null)
            {
                text.Append(" | exception=").Append(exception);
            }

            provider.Add(text.ToString());
        }
    }

    private sealed class NoScope : IDisposable
    {
        public static readonly NoScope Instance = new();

        public void Dispose()
        {
        }
    }
}
