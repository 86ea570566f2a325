using System.CommandLine;

using FreeBind.Client;

var root = CommandLineApplication.CreateRootCommand();

try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (Exception exception) when (exception is not OperationCanceledException)
{
    // Configuration errors list every problem on its own line; anything else is one line.
    var message = exception is FreeBind.Spaces.SpacesFileException or FreeBind.Jobs.JobConfigurationException
        or FreeBind.Bonds.Graph.BondFileException
        ? exception.Message
        : exception.Message.Split('\n')[0].TrimEnd();
    Console.Error.WriteLine($"error: {message}");
    return 1;
}
