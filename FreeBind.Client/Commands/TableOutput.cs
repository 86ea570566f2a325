using Spectre.Console;

namespace FreeBind.Client.Commands;

/// <summary>Writes result tables to standard output.</summary>
internal static class TableOutput
{
    /// <summary>
    /// Writes <paramref name="table"/>, at least 160 columns wide when the output is not a terminal,
    /// because Spectre.Console assumes 80 columns there and wraps the task names.
    /// </summary>
    public static void Write(Table table)
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 160);
        }

        AnsiConsole.Write(table);
    }
}
