using FreeBind.Client;

namespace FreeBind.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("embed --spaces s.json --input in --output out")]
    [InlineData("embed --spaces s.json --input in --output out --bonds b.json --fuse versatile")]
    [InlineData("fuse --bonds b.json --embeddings out --profile versatile --factor c-clap.audio=0.8")]
    [InlineData("export-onnx --bonds b.json --modality audio --output f.onnx")]
    [InlineData("export-onnx --bonds b.json --modality audio --output f.onnx --spaces s.json")]
    [InlineData("import-checkpoint --checkpoint best.pt --output projectors/c/mix")]
    [InlineData("status job-1 --cluster")]
    [InlineData("cancel job-1 --cluster")]
    public void ValidCommand_ParsesWithoutErrors(string line)
    {
        var result = CommandLineApplication.CreateRootCommand().Parse(line);

        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("embed --input in --output out", "--spaces")]
    [InlineData("fuse --embeddings out", "--bonds")]
    [InlineData("export-onnx --bonds b.json --output f.onnx", "--modality")]
    public void MissingRequiredOption_IsNamed(string line, string option)
    {
        var result = CommandLineApplication.CreateRootCommand().Parse(line);

        Assert.Contains(result.Errors, error => error.Message.Contains(option, StringComparison.Ordinal));
    }
}
