using System.CommandLine;

using FreeBind.Client.Commands;

namespace FreeBind.Client;

/// <summary>The <c>freebind</c> command tree.</summary>
internal static class CommandLineApplication
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand()
    {
        var root = new RootCommand("freebind: embed multimodal corpora with ONNX encoders on an Orleans cluster, and fuse spaces through bonds.")
        {
            EmbedCommand.Create(),
            JobsCommand.CreateList(),
            JobsCommand.CreateStatus(),
            JobsCommand.CreateCancel(),
            FuseCommand.Create(),
            PseudoCommand.Create(),
            TrainCommand.Create(),
            EvalCommand.Create(),
            SweepCommand.Create(),
            ExportOnnxCommand.Create(),
            ImportCheckpointCommand.Create(),
            DemoWorldCommand.Create(),
            DemoCommand.Create(),
        };
        ParseErrors.Apply(root);
        return root;
    }
}
