using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

using FreeBind.Serialization;

using Microsoft.Extensions.Logging;

namespace FreeBind.Client.Commands;

/// <summary>
/// Turns command-line parse errors into one line each that names the option, the value and what
/// it takes, in place of System.CommandLine's messages with .NET type names and its full help.
/// </summary>
internal static class ParseErrors
{
    /// <summary>Exit code of a command line that does not parse, as for other usage errors.</summary>
    public const int ExitCode = 2;

    /// <summary>
    /// Gives every number and log-level option of the tree a parser whose error names the option,
    /// the value and the accepted range. Options that already have a parser keep it.
    /// </summary>
    public static void Apply(Command root)
    {
        foreach (var command in AllCommands(root))
        {
            foreach (var option in command.Options)
            {
                switch (option)
                {
                    case Option<int> whole when whole.CustomParser is null:
                        whole.CustomParser = result => ParseInt(whole.Name, result);
                        break;
                    case Option<double> real when real.CustomParser is null:
                        real.CustomParser = result => (double)ParseReal(real.Name, result, double.MaxValue);
                        break;
                    case Option<float> single when single.CustomParser is null:
                        single.CustomParser = result => (float)ParseReal(single.Name, result, float.MaxValue);
                        break;
                    case Option<LogLevel> level when level.CustomParser is null:
                        level.CustomParser = result => ParseLogLevel(level.Name, result);
                        break;
                }
            }
        }
    }

    /// <summary>
    /// Writes the parse errors of <paramref name="parseResult"/> as "error: …" lines, with a
    /// spelling hint for an unknown option, and then the help command to run.
    /// </summary>
    public static void Write(ParseResult parseResult, TextWriter output)
    {
        var command = parseResult.CommandResult.Command;
        foreach (var error in parseResult.Errors)
        {
            output.WriteLine($"error: {error.Message}");
        }

        var names = command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        foreach (var token in parseResult.UnmatchedTokens.Where(t => t.StartsWith("--", StringComparison.Ordinal)))
        {
            var closest = NameMatcher.Closest(token, names);
            if (closest is not null)
            {
                output.WriteLine($"error: did you mean {closest} in place of {token}?");
            }
        }

        output.WriteLine($"Run '{CommandPath(command)} --help' to see the options.");
    }

    private static int ParseInt(string option, ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        string message = !long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long wide)
            ? $"{option} '{text}' is not a whole number: give one such as 1000."
            : wide > 0
                ? $"{option} '{text}' is too large: the largest value it can take is {int.MaxValue}."
                : $"{option} '{text}' is too small: the smallest value it can take is {int.MinValue}.";
        result.AddError(message);
        return default;
    }

    private static double ParseReal(string option, ArgumentResult result, double limit)
    {
        var text = result.Tokens[^1].Value;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && Math.Abs(value) <= limit)
        {
            return value;
        }

        result.AddError($"{option} '{text}' is not a finite number: give one such as 0.5 or 1e-3.");
        return default;
    }

    private static LogLevel ParseLogLevel(string option, ArgumentResult result)
    {
        var text = result.Tokens[^1].Value;
        var names = Enum.GetNames<LogLevel>();
        var match = names.FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        if (match is not null)
        {
            return Enum.Parse<LogLevel>(match);
        }

        result.AddError($"{option} '{text}' is not a log level: use {string.Join(", ", names)}.");
        return default;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? symbol = command; symbol is Command current; symbol = current.Parents.FirstOrDefault())
        {
            names.Add(current is RootCommand ? "freebind" : current.Name);
        }

        names.Reverse();
        return string.Join(' ', names);
    }

    private static IEnumerable<Command> AllCommands(Command command) =>
        command.Subcommands.SelectMany(AllCommands).Prepend(command);
}
