using System.CommandLine;

using FreeBind.Bonds.Checkpoints;
using FreeBind.Bonds.Graph;
using FreeBind.Bonds.Runtime;
using FreeBind.Bonds;
using FreeBind.Encoders;
using FreeBind.Media;
using FreeBind.Spaces;
using FreeBind.Text;

namespace FreeBind.Client.Commands;

/// <summary><c>freebind export-onnx</c>: writes one modality's fusion as a standalone ONNX model.</summary>
internal static class ExportOnnxCommand
{
    private static readonly Option<string> Modality = new("--modality")
    {
        Description = "Modality to export: image, text or audio.",
        Required = true,
    };

    private static readonly Option<FileInfo?> Spaces = new("--spaces")
    {
        Description = "Spaces file: put each input space's encoder in front of the fusion, so the model takes preprocessed " +
            "encoder inputs instead of embeddings, named <space>/<input> with every character of the space outside " +
            "[A-Za-z0-9_] replaced by '_' (e.g. audio_text/input_features). Encoders need ONNX opset 13 to 17.",
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
            FuseOptions.RequiredBonds, FuseOptions.Profile, Modality, Output, FuseOptions.Factors, Spaces,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var bonds = parseResult.GetValue(FuseOptions.RequiredBonds)!;
            var modality = ModalityNames.Parse(parseResult.GetValue(Modality)!);
            var request = FuseCommand.CreateRequest(
                bonds, "", "", parseResult.GetValue(FuseOptions.Profile), parseResult.GetValue(FuseOptions.Factors), []);
            var file = BondFile.Parse(request.BondsJson, request.BondsBaseDirectory, ProjectorSetFiles.Load);
            var plan = BondCompiler.Compile(file, modality, request.Profile, Jobs.FusionCompiler.ParseOverrides(request));

            var model = FusionGraphBuilder.Build(plan, new FusionGraphOptions { FactorInputs = true });
            var spacesFile = parseResult.GetValue(Spaces);
            if (spacesFile is not null)
            {
                var encoders = await LoadEncodersAsync(SpacesFile.Load(spacesFile.FullName), plan, cancellationToken);
                model = FusionGraphComposer.Compose(model, encoders);
                Console.WriteLine($"encoders composed for: {string.Join(", ", encoders.Select(e => e.Space))}");
            }

            var output = parseResult.GetValue(Output)!;
            await File.WriteAllBytesAsync(output.FullName, model, cancellationToken);
            Console.WriteLine($"wrote {output.FullName}: output {FusionGraphBuilder.OutputName} [batch, {plan.OutputDimension}] float; inputs:");
            foreach (var input in OnnxModelInputs.Describe(model))
            {
                Console.WriteLine($"  {input}");
            }

            return 0;
        });
        return command;
    }

    private static async Task<List<EncoderGraph>> LoadEncodersAsync(SpacesFile spaces, FusionPlan plan, CancellationToken cancellationToken)
    {
        var resolver = new ModelResolver();
        var encoders = new List<EncoderGraph>();
        foreach (var space in plan.Inputs.Distinct())
        {
            var spec = spaces.Spaces.FirstOrDefault(s => s.Name == space)?.Encoders.FirstOrDefault(e => e.Modality == plan.Modality);
            if (spec is null)
            {
                // The spaces file does not declare this encoder: the input stays an embedding.
                continue;
            }

            if (spec.PreprocessModel is not null)
            {
                throw new FormatException(
                    $"encoder '{space}/{plan.Modality.ToName()}' has a preprocessModel, which composing does not support; export without --spaces.");
            }

            var model = await resolver.ReadAsync(spec.Model, spaces.BaseDirectory, cancellationToken);
            if (spec.DynamicBatch)
            {
                model = OnnxModelPatcher.MakeBatchDynamic(model);
            }

            var mask = (spec.Preprocess as TextRecipe)?.AttentionMask;
            encoders.Add(new EncoderGraph(space, model, spec.Output, spec.Pooling, spec.Normalize, mask));
        }

        return encoders;
    }
}
