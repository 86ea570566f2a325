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
    [InlineData("export-onnx --modality audio --output f.onnx", "--bonds")]
    public void MissingRequiredOption_IsNamed(string line, string option)
    {
        var result = CommandLineApplication.CreateRootCommand().Parse(line);

        Assert.Contains(result.Errors, error => error.Message.Contains(option, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("export-onnx", "--bonds")]
    [InlineData("fuse", "--bonds")]
    [InlineData("export-onnx", "--modality")]
    public void Help_MarksRequiredOption(string command, string option)
    {
        var help = RenderHelp(command);

        var line = help.Split('\n').Single(l => l.TrimStart().StartsWith(option + " ", StringComparison.Ordinal));
        Assert.Contains("(REQUIRED)", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_EmbedBondsIsOptional()
    {
        var help = RenderHelp("embed");

        var line = help.Split('\n').Single(l => l.TrimStart().StartsWith("--bonds ", StringComparison.Ordinal));
        Assert.DoesNotContain("(REQUIRED)", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jobs", false)]
    [InlineData("jobs --cluster", true)]
    [InlineData("jobs --gateway 30001", true)]
    [InlineData("jobs --gateway 30001 --cluster", true)]
    [InlineData("embed --spaces s.json --input in --output out", false)]
    [InlineData("embed --spaces s.json --input in --output out --gateway 30000", true)]
    public void Gateway_ImpliesCluster(string line, bool expected)
    {
        var result = CommandLineApplication.CreateRootCommand().Parse(line);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, FreeBind.Client.Commands.CommonOptions.UsesCluster(result));
    }

    [Fact]
    public void Help_ShowsEachDefaultOnce()
    {
        // Help prints "[default: X]" after an option that has a default value, so its
        // description must not say the default again.
        var repeated = AllCommands(CommandLineApplication.CreateRootCommand())
            .SelectMany(command => command.Options
                .Where(option => option.HasDefaultValue && option.Description is not null
                    && option.Description.Contains("default", StringComparison.OrdinalIgnoreCase))
                .Select(option => $"{command.Name} {option.Name}: {option.Description}"))
            .ToList();

        Assert.Empty(repeated);

        static IEnumerable<System.CommandLine.Command> AllCommands(System.CommandLine.Command command) =>
            command.Subcommands.SelectMany(AllCommands).Prepend(command);
    }

    [Theory]
    [InlineData("embed --spaces s.json --input in --output out --shard-size 99999999999",
        "--shard-size '99999999999' is too large: the largest value it can take is 2147483647.")]
    [InlineData("embed --spaces s.json --input in --output out --batch-size -99999999999",
        "--batch-size '-99999999999' is too small: the smallest value it can take is -2147483648.")]
    [InlineData("embed --spaces s.json --input in --output out --batch-size ten",
        "--batch-size 'ten' is not a whole number: give one such as 1000.")]
    [InlineData("embed --spaces s.json --input in --output out --log-level loud",
        "--log-level 'loud' is not a log level: use Trace, Debug, Information, Warning, Error, Critical, None.")]
    [InlineData("train --bond b --data d --lr NaN", "--lr 'NaN' is not a finite number: give one such as 0.5 or 1e-3.")]
    public void BadValue_ErrorNamesOptionAndValue(string line, string expected)
    {
        var result = CommandLineApplication.CreateRootCommand().Parse(line);

        Assert.Equal([expected], result.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("embed --spaces s.json --input in --output out --log-level debug", Microsoft.Extensions.Logging.LogLevel.Debug)]
    [InlineData("embed --spaces s.json --input in --output out", Microsoft.Extensions.Logging.LogLevel.Warning)]
    public void LogLevel_ParsesAnyCase(string line, Microsoft.Extensions.Logging.LogLevel expected)
    {
        var result = CommandLineApplication.CreateRootCommand().Parse(line);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, result.GetValue(FreeBind.Client.Commands.CommonOptions.Verbosity));
    }

    [Fact]
    public void ParseErrors_SuggestOptionAndHelp()
    {
        var result = CommandLineApplication.CreateRootCommand().Parse("embed --spaces s.json --input in --output out --shrad-size 5");
        using var output = new StringWriter();

        FreeBind.Client.Commands.ParseErrors.Write(result, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("error: did you mean --shard-size in place of --shrad-size?", lines);
        Assert.Equal("Run 'freebind embed --help' to see the options.", lines[^1]);
        Assert.DoesNotContain(lines, line => line.Contains("Description:", StringComparison.Ordinal));
    }

    private static string RenderHelp(string command)
    {
        using var output = new StringWriter();
        var result = CommandLineApplication.CreateRootCommand().Parse([command, "--help"]);

        var exitCode = result.Invoke(new System.CommandLine.InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        return output.ToString();
    }

    [Fact]
    public void JobsRow_MatchesHeaderColumns()
    {
        var status = new FreeBind.Jobs.EmbeddingJobStatus
        {
            JobId = "j1", State = FreeBind.Jobs.EmbeddingJobState.Failed, PlanningDone = true, EntriesDone = 3, EntriesPlanned = 8,
            Output = "/data/out", FailureReason = "1 shard(s) failed 3 times",
        };

        var row = FreeBind.Client.Commands.JobsCommand.FormatRow("j1", "embed", status);

        Assert.Equal("j1\tembed\tFailed\t3/8 entries\t/data/out\t1 shard(s) failed 3 times", row);
        Assert.Equal(FreeBind.Client.Commands.JobsCommand.ListHeader.Split('\t').Length, row.Split('\t').Length);
    }

    [Fact]
    public void JobsRow_CompletedHasNoNote()
    {
        var status = new FreeBind.Jobs.EmbeddingJobStatus
        {
            JobId = "j2", State = FreeBind.Jobs.EmbeddingJobState.Completed, PlanningDone = true, EntriesDone = 8, EntriesPlanned = 8, Output = "/data/out",
        };

        var row = FreeBind.Client.Commands.JobsCommand.FormatRow("j2", "embed", status);

        Assert.Equal("j2\tembed\tCompleted\t8/8 entries\t/data/out", row);
    }

    [Fact]
    public void SummaryEntries_RunningShowsPlannedTotal()
    {
        var status = new FreeBind.Jobs.EmbeddingJobStatus
        {
            State = FreeBind.Jobs.EmbeddingJobState.Running, EntriesDone = 30, EntriesPlanned = 120, ShardsDone = 3,
        };

        Assert.Equal("30 of 120+ planned in 3 shard(s)", FreeBind.Client.Commands.JobProgress.FormatEntries(status));
        Assert.Equal("30 of 120 planned in 3 shard(s)", FreeBind.Client.Commands.JobProgress.FormatEntries(status with { PlanningDone = true }));
    }

    [Fact]
    public void SummaryEntries_NamesSkippedShards()
    {
        var status = new FreeBind.Jobs.EmbeddingJobStatus
        {
            State = FreeBind.Jobs.EmbeddingJobState.Completed, PlanningDone = true, EntriesDone = 17, EntriesPlanned = 17,
            ShardsDone = 2, ShardsSkipped = 1, EntriesSkipped = 10,
        };

        Assert.Equal("17 in 2 shard(s), 1 skipped as already done (10 entries)", FreeBind.Client.Commands.JobProgress.FormatEntries(status));
    }

    [Theory]
    [InlineData(30000, "freebind jobs --cluster")]
    [InlineData(31000, "freebind jobs --gateway 31000")]
    public void JobsHint_KeepsGatewayPort(int gateway, string expected)
    {
        Assert.Equal(expected, FreeBind.Client.Commands.JobsCommand.ListCommand(gateway));
    }
}
