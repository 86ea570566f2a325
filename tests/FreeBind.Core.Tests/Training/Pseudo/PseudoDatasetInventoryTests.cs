using FreeBind.Storage;
using FreeBind.Tests.Corpus;
using FreeBind.Training.Pseudo;

namespace FreeBind.Tests.Training.Pseudo;

public sealed class PseudoDatasetInventoryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AllModesPresent_ReturnsNull()
    {
        using var data = new TempFolder();
        data.Write("pseudo/c-audio-text/mix/manifest.json", "{}");
        data.Write("pseudo/c-audio-text/A/manifest.json", "{}");

        var missing = await FindAsync(data.Path, "c-audio-text", ["mix", "A"]);

        Assert.Null(missing);
    }

    [Fact]
    public async Task MisspeltBond_ListsBondsAndOneCommand()
    {
        using var data = new TempFolder();
        data.Write("pseudo/c-audio-text/mix/manifest.json", "{}");
        data.Write("pseudo/d-image/mix/manifest.json", "{}");

        var missing = await FindAsync(data.Path, "c-audio-txt", ["mix"]);

        Assert.NotNull(missing);
        Assert.Contains("bond 'c-audio-txt' has no pseudo datasets", missing);
        Assert.Contains("datasets for bonds c-audio-text, d-image", missing);
        Assert.Contains("did you mean 'c-audio-text'?", missing);
        Assert.Contains(
            $"freebind pseudo --bonds <bond file> --bond c-audio-txt --embeddings <embed job output root> --modes mix --output {data.Path}",
            missing);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(missing, "freebind pseudo"));
    }

    [Fact]
    public async Task MissingMode_NamesModesThatExist()
    {
        using var data = new TempFolder();
        data.Write("pseudo/c-audio-text/mix/manifest.json", "{}");
        data.Write("pseudo/c-audio-text/A/part-00000.parquet", "unfinished");

        var missing = await FindAsync(data.Path, "c-audio-text", ["mix", "A", "T"]);

        Assert.NotNull(missing);
        Assert.Contains("no pseudo dataset for data mode(s) A, T", missing);
        Assert.Contains("(it has mix)", missing);
        Assert.Contains("--modes A,T", missing);
    }

    [Fact]
    public async Task MissingDataFolder_SaysNotFound()
    {
        using var parent = new TempFolder();
        var absent = Path.Combine(parent.Path, "pseudo-typo");

        var missing = await FindAsync(absent, "c-audio-text", ["mix"]);

        Assert.Equal(
            $"data folder '{absent}' not found: pass the --output root of a freebind pseudo job to --data.",
            missing);
    }

    [Fact]
    public async Task EmptyDataFolder_GivesBuildCommand()
    {
        using var data = new TempFolder();

        var missing = await FindAsync(data.Path, "c-audio-text", ["mix"]);

        Assert.NotNull(missing);
        Assert.StartsWith($"no pseudo datasets under '{data.Path}/pseudo/': build them with: freebind pseudo --bonds", missing);
    }

    private static async Task<string?> FindAsync(string root, string bond, string[] modes)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        return await PseudoDatasetInventory.FindMissingAsync(new LocalBlobStore(root), bond, expert: null, modes, timeout.Token);
    }
}
