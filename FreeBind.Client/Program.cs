using System.CommandLine;

using FreeBind.Client;

var root = CommandLineApplication.CreateRootCommand();

try
{
    // On Ctrl+C or SIGTERM a command cancels its job and stops its in-process silo, which takes a
    // few seconds. The command line's default wait of 2 s would end the process before that.
    // With no command at all, the root's help lists the commands.
    var parseResult = root.Parse(args.Length == 0 ? ["--help"] : args);
    if (parseResult.Action is System.CommandLine.Invocation.ParseErrorAction)
    {
        FreeBind.Client.Commands.ParseErrors.Write(parseResult, Console.Error);
        return FreeBind.Client.Commands.ParseErrors.ExitCode;
    }

    return await parseResult.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
    });
}
catch (OperationCanceledException exception) when (exception.InnerException is not TimeoutException)
{
    // Ctrl+C in a command other than embed: its wait ends. A job on a cluster keeps running; one on
    // the in-process silo stops with it.
    Console.Error.WriteLine("error: cancelled");
    return 130;
}
catch (Exception exception)
{
    // Configuration errors list every problem on its own line; anything else is one line.
    var message = exception is FreeBind.Spaces.SpacesFileException or FreeBind.Jobs.JobConfigurationException
        or FreeBind.Bonds.Graph.BondFileException
        ? exception.Message
        : exception.Message.Split('\n')[0].TrimEnd();
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
