using System.CommandLine;

using FreeBind.Bonds.Checkpoints;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind import-checkpoint</c>: converts a PyTorch or safetensors projector into the native format.</summary>
internal static class ImportCheckpointCommand
{
    private static readonly Option<FileInfo> Checkpoint = new("--checkpoint")
    {
        Description = "PyTorch state_dict (.pt/.pth, zip format, e.g. FreeBind's best.pt) or .safetensors file.",
        Required = true,
    };

    private static readonly Option<string> Output = new("--output", "-o")
    {
        Description = "Native projector path without extension, e.g. projectors/clap-c/mix (writes .safetensors and .json).",
        Required = true,
    };

    private static readonly Option<string?> Prefix = new("--prefix")
    {
        Description = "Key prefix of the projector's layers; default: detect the one ending in 'mlps.' (e.g. Head2.mlps.).",
    };

    private static readonly Option<string> Activation = new("--activation")
    {
        Description = "Activation between the layers, which a state_dict does not record: relu, gelu, silu or tanh.",
        DefaultValueFactory = _ => "relu",
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command("import-checkpoint", "Import one projector from a PyTorch or safetensors checkpoint into the native format.")
        {
            Checkpoint, Output, Prefix, Activation,
        };
        command.SetAction(parseResult =>
        {
            var checkpoint = parseResult.GetValue(Checkpoint)!;
            if (!checkpoint.Exists)
            {
                throw new FileNotFoundException($"checkpoint '{checkpoint.FullName}' not found: pass an existing file to --checkpoint.");
            }

            var tensors = checkpoint.Extension.Equals(".safetensors", StringComparison.OrdinalIgnoreCase)
                ? SafetensorsFile.Read(checkpoint.FullName).Tensors
                : TorchCheckpointReader.Read(checkpoint.FullName);
            var weights = ProjectorCheckpoint.FromStateDict(tensors, parseResult.GetValue(Prefix), parseResult.GetValue(Activation)!);
            var output = Path.GetFullPath(parseResult.GetValue(Output)!);
            Directory.CreateDirectory(Path.GetDirectoryName(output)!);
            ProjectorCheckpoint.Save(output, weights);

            var architecture = weights.Architecture;
            Console.WriteLine(
                $"wrote {output}.safetensors and .json: {architecture.InputDimension} -> {architecture.HiddenDimension} -> " +
                $"{architecture.OutputDimension}, {architecture.Activation}, batch norm {(architecture.BatchNorm ? "on" : "off")}");
            return 0;
        });
        return command;
    }
}
