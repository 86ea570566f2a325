using System.CommandLine;

using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Bonds.Runtime;
using FreeBind.Media;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind export-onnx</c>: writes one modality's fusion as a standalone ONNX model.</summary>
internal static class ExportOnnxCommand
{
    private static readonly Option<string> Modality = new("--modality")
    {
        Description = "Modality to export: image, text or audio.",
        Required = true,
    };

    private static readonly Option<FileInfo> Output = new("--output", "-o")
    {
        Description = "ONNX file to write.",
        Required = true,
    };

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var command = new Command(
            "export-onnx",
            "Write an ONNX model that takes the base and expert embeddings of one modality and returns the fused embedding; " +
            "each bond's factor is an optional input defaulting to the profile's value.")
        {
            FuseOptions.Bonds, FuseOptions.Profile, Modality, Output, FuseOptions.Factors,
        };
        command.SetAction(parseResult =>
        {
            var bonds = parseResult.GetValue(FuseOptions.Bonds)
                ?? throw new FormatException("--bonds is required: pass the bond file to export.");
            var modality = ModalityNames.Parse(parseResult.GetValue(Modality)!);
            var request = FuseCommand.CreateRequest(
                bonds, "", "", parseResult.GetValue(FuseOptions.Profile), parseResult.GetValue(FuseOptions.Factors), []);
            var file = BondFile.Parse(request.BondsJson, request.BondsBaseDirectory, ProjectorSetFiles.Load);
            var overrides = request.Overrides.ToDictionary(
                bond => bond.Key,
                bond => (IReadOnlyDictionary<Modality, float>)bond.Value.ToDictionary(f => ModalityNames.Parse(f.Key), f => f.Value));
            var plan = BondCompiler.Compile(file, modality, request.Profile, overrides);

            var model = FusionGraphBuilder.Build(plan, new FusionGraphOptions { FactorInputs = true });
            var output = parseResult.GetValue(Output)!;
            File.WriteAllBytes(output.FullName, model);
            Console.WriteLine($"wrote {output.FullName}: inputs {string.Join(", ", plan.Inputs)} -> fused [{plan.OutputDimension}]");
            return 0;
        });
        return command;
    }
}
