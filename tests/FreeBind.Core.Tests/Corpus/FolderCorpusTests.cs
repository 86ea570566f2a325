using System.Runtime.InteropServices;
using FreeBind.Corpus;
using FreeBind.Media;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

public sealed class FolderCorpusTests
{
    private static void WriteTree(TempFolder folder)
    {
        folder.Write("b.jpg", "image b");
        folder.Write("b.txt", "caption b");
        folder.Write("a.wav", "audio a");
        folder.Write("sub/x.jpg", "image x");
        folder.Write("sub/x.png", "second image x");
        folder.Write("sub/x.caption", "caption x");
        folder.Write("sub/deeper/y.txt", "text y");
        folder.Write("sub/notes.md", "skipped: unmapped extension");
        folder.Write(".hidden/z.jpg", "skipped: hidden folder");
        folder.Write(".z.jpg", "skipped: hidden file");
        folder.Write("c.flac", "mapped to audio, fails later at decode");
    }

    [Fact]
    public async Task PairsFilesByStem()
    {
        using var folder = new TempFolder();
        WriteTree(folder);
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var entries = Entries(await PlanAllAsync(corpus, 100));

        // Subfolders close before their parent, so their entries come first.
        Assert.Equal(["sub/deeper/y", "sub/x", "a", "b", "c"], entries.Select(e => e.Id));
        var b = entries.Single(e => e.Id == "b");
        Assert.Equal([Modality.Image, Modality.Text], b.Media.Select(m => m.Modality));
        Assert.Equal("b.jpg", b.Media[0].Location);
        Assert.Equal("caption b", await ReadTextAsync(corpus, b.Media[1]));
        Assert.Equal(Modality.Audio, entries.Single(e => e.Id == "c").Media.Single().Modality);
    }

    [Fact]
    public async Task SecondFileOfModalityBecomesIssue()
    {
        using var folder = new TempFolder();
        WriteTree(folder);
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        var x = Entries(shards).Single(e => e.Id == "sub/x");
        Assert.Equal("sub/x.jpg", x.Media.Single(m => m.Modality == Modality.Image).Location);
        var issue = Assert.Single(Issues(shards));
        Assert.Equal("sub/x", issue.Id);
        Assert.Equal("sub/x.png", issue.Source);
        Assert.Contains("sub/x.jpg", issue.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModalityFilterDropsOthers()
    {
        using var folder = new TempFolder();
        WriteTree(folder);
        var options = new CorpusOptions { Modalities = new HashSet<Modality> { Modality.Text } };

        var entries = Entries(await PlanAllAsync(CorpusFactory.Open(folder.Path, options), 100));

        Assert.Equal(["sub/deeper/y", "sub/x", "b"], entries.Select(e => e.Id));
        Assert.All(entries, e => Assert.All(e.Media, m => Assert.Equal(Modality.Text, m.Modality)));
    }

    [Fact]
    public async Task FingerprintFollowsListing()
    {
        using var folder = new TempFolder();
        WriteTree(folder);
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var first = await corpus.ComputeFingerprintAsync(Token);
        var second = await corpus.ComputeFingerprintAsync(Token);
        folder.Write("sub/new.jpg", "new image");
        var changed = await corpus.ComputeFingerprintAsync(Token);

        Assert.Equal(64, first.Length);
        Assert.Equal(first, second);
        Assert.NotEqual(first, changed);
    }

    [Fact]
    public async Task HugeFileFailsReadAsTooLong()
    {
        using var folder = new TempFolder();
        const long size = 3_000_000_000;

        // On file systems with sparse files, such as ext4 and tmpfs, the file takes almost no disk space.
        using (var file = File.Create(Path.Combine(folder.Path, "big.wav")))
        {
            file.SetLength(size);
        }

        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());
        var audio = Entries(await PlanAllAsync(corpus, 100)).Single().Media.Single();

        var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(audio, Token));

        Assert.Equal("read", error.Stage);
        Assert.Contains("'big.wav'", error.Message, StringComparison.Ordinal);
        Assert.Contains($"is {size} bytes, too long to read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletedFileFailsAtRead()
    {
        using var folder = new TempFolder();
        WriteTree(folder);
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());
        var a = Entries(await PlanAllAsync(corpus, 100)).Single(e => e.Id == "a");
        File.Delete(Path.Combine(folder.Path, "a.wav"));

        var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(a.Media[0], Token));

        Assert.Equal("read", error.Stage);
        Assert.Contains("'a.wav' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinkOutsideRootFailsAtRead()
    {
        using var folder = new TempFolder();
        using var outside = new TempFolder();
        var secret = outside.Write("secret.txt", "secret");
        folder.Write("ok.jpg", "image");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "ok.txt"), secret);
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());
        var fingerprint = await corpus.ComputeFingerprintAsync(Token);
        var entry = Entries(await PlanAllAsync(corpus, 100)).Single();

        var text = entry.Media.Single(m => m.Modality == Modality.Text);
        var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(text, Token));

        Assert.Equal(64, fingerprint.Length);
        Assert.Equal("image", await ReadTextAsync(corpus, entry.Media.Single(m => m.Modality == Modality.Image)));
        Assert.Equal("read", error.Stage);
        Assert.Contains("'ok.txt'", error.Message, StringComparison.Ordinal);
        Assert.Contains("outside the corpus root", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("does-not-exist.jpg", "does not exist")]
    [InlineData("broken.jpg", "could not be resolved")]
    public async Task BrokenLinkFailsOnlyItsRead(string target, string expected)
    {
        using var folder = new TempFolder();
        folder.Write("good.jpg", "image");
        File.CreateSymbolicLink(Path.Combine(folder.Path, "broken.jpg"), target);
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var fingerprint = await corpus.ComputeFingerprintAsync(Token);
        var entries = Entries(await PlanAllAsync(corpus, 100));

        Assert.Equal(64, fingerprint.Length);
        Assert.Equal(["broken", "good"], entries.Select(e => e.Id));
        Assert.Equal("image", await ReadTextAsync(corpus, entries[1].Media.Single()));
        var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(entries[0].Media.Single(), Token));
        Assert.Equal("read", error.Stage);
        Assert.Contains("'broken.jpg'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BackslashIsPartOfName()
    {
        // Windows cannot create such a name, because there a backslash separates folders.
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var folder = new TempFolder();
        folder.Write("back\\slash.jpg", "image");
        folder.Write("back\\slash.txt", "caption");
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var fingerprint = await corpus.ComputeFingerprintAsync(Token);
        var entry = Assert.Single(Entries(await PlanAllAsync(corpus, 100)));

        Assert.Equal(64, fingerprint.Length);
        Assert.Equal("back\\slash", entry.Id);
        Assert.Equal("image", await ReadTextAsync(corpus, entry.Media[0]));
        Assert.Equal("caption", await ReadTextAsync(corpus, entry.Media[1]));
    }

    [Fact]
    public async Task NamedPipeFailsWithoutBlocking()
    {
        // Only Linux has the check that keeps a named pipe from being opened.
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var folder = new TempFolder();
        folder.Write("good.jpg", "image");
        Assert.Equal(0, MakeFifo(Path.Combine(folder.Path, "pipe.wav"), Convert.ToUInt32("644", 8)));
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var fingerprint = await corpus.ComputeFingerprintAsync(Token);
        var entries = Entries(await PlanAllAsync(corpus, 100));

        Assert.Equal(64, fingerprint.Length);
        Assert.Equal(["good", "pipe"], entries.Select(e => e.Id));
        Assert.Equal("image", await ReadTextAsync(corpus, entries[0].Media.Single()));

        // Opening a named pipe blocks until a writer opens it, and no cancellation token reaches
        // that call, so the read runs on the thread pool under a timeout.
        var read = Task.Run(() => corpus.ReadAsync(entries[1].Media.Single(), Token));
        var error = await Assert.ThrowsAsync<MediaException>(() => read.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("read", error.Stage);
        Assert.Contains("'pipe.wav'", error.Message, StringComparison.Ordinal);
        Assert.Contains("named pipe", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NonUtf8NameFailsAtRead()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var folder = new TempFolder();
        folder.Write("good.jpg", "image");
        byte[] badName = [.. System.Text.Encoding.UTF8.GetBytes(folder.Path + "/bad"), 0xFF, .. "x.jpg\0"u8];
        var descriptor = CreateFile(badName, Convert.ToUInt32("644", 8));
        Assert.True(descriptor >= 0);
        Assert.Equal(0, CloseFile(descriptor));
        try
        {
            var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

            var entries = Entries(await PlanAllAsync(corpus, 100));

            Assert.Equal(["bad\uFFFDx", "good"], entries.Select(e => e.Id));
            var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(entries[0].Media.Single(), Token));
            Assert.Equal("read", error.Stage);
            Assert.Contains("is not valid UTF-8", error.Message, StringComparison.Ordinal);
            Assert.Contains("rename the file", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            // .NET cannot name this file, so only libc can delete it before the folder goes.
            Assert.Equal(0, DeleteFile(badName));
        }
    }

    [Theory]
    [InlineData("jfif")]
    [InlineData("jpe")]
    [InlineData("ico")]
    [InlineData("heic")]
    [InlineData("HEIF")]
    [InlineData("avif")]
    [InlineData("wbmp")]
    public async Task ImageExtensionBecomesEntry(string extension)
    {
        using var folder = new TempFolder();
        folder.Write($"x.{extension}", "image");
        var corpus = CorpusFactory.Open(folder.Path, new CorpusOptions());

        var entry = Assert.Single(Entries(await PlanAllAsync(corpus, 100)));

        Assert.Equal("x", entry.Id);
        Assert.Equal(Modality.Image, entry.Media.Single().Modality);
    }

    [Fact]
    public async Task BlobFolderMatchesLocalFolder()
    {
        using var folder = new TempFolder();
        WriteTree(folder);
        var local = CorpusFactory.Open(folder.Path, new CorpusOptions());
        var blob = CorpusFactory.Open("az://test/", new CorpusOptions(), Opener(folder.Path));

        var localShards = await PlanAllAsync(local, 2);
        var blobShards = await PlanAllAsync(blob, 2);

        Assert.Equal(Entries(localShards).Select(e => e.Id), Entries(blobShards).Select(e => e.Id));
        Assert.Equal(Issues(localShards), Issues(blobShards));
        var b = Entries(blobShards).Single(e => e.Id == "b");
        Assert.Equal("caption b", await ReadTextAsync(blob, b.Media[1]));
    }

    // DllImport, not LibraryImport, because the latter needs unsafe code enabled in the project.
    [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MakeFifo(string path, uint mode);

    [DllImport("libc", EntryPoint = "creat", SetLastError = true)]
    private static extern int CreateFile(byte[] path, uint mode);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int CloseFile(int descriptor);

    [DllImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static extern int DeleteFile(byte[] path);
}
