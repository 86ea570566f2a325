using System.Formats.Tar;
using System.Text;
using FreeBind.Corpus;
using FreeBind.Media;
using static FreeBind.Tests.Corpus.CorpusTestKit;

namespace FreeBind.Tests.Corpus;

public sealed class TarCorpusTests
{
    private static readonly string LongFolder = string.Join('/', Enumerable.Repeat("long-folder-name", 8));

    /// <summary>Writes a tar of (name, content) members in the given format and returns its path.</summary>
    private static string WriteTar(TempFolder folder, string name, TarEntryFormat format, params (string Name, string Content)[] members)
    {
        var path = Path.Combine(folder.Path, name);
        using var file = File.Create(path);
        using var writer = new TarWriter(file, format);
        foreach (var (memberName, content) in members)
        {
            TarEntry entry = format switch
            {
                TarEntryFormat.Gnu => new GnuTarEntry(TarEntryType.RegularFile, memberName),
                TarEntryFormat.Pax => new PaxTarEntry(TarEntryType.RegularFile, memberName),
                _ => new UstarTarEntry(TarEntryType.RegularFile, memberName),
            };
            entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
            writer.WriteEntry(entry);
        }

        return path;
    }

    /// <summary>Writes a tar of (type, name, content) members and returns its path. The content of a
    /// link member is its link name.</summary>
    private static string WriteTar(
        TempFolder folder,
        string name,
        TarEntryFormat format,
        params (TarEntryType Type, string Name, string Content)[] members)
    {
        var path = Path.Combine(folder.Path, name);
        using var file = File.Create(path);
        using var writer = new TarWriter(file, format);
        foreach (var (type, memberName, content) in members)
        {
            TarEntry entry = format switch
            {
                TarEntryFormat.Gnu => new GnuTarEntry(type, memberName),
                TarEntryFormat.Pax => new PaxTarEntry(type, memberName),
                _ => new UstarTarEntry(type, memberName),
            };
            if (type is TarEntryType.HardLink or TarEntryType.SymbolicLink)
            {
                entry.LinkName = content;
            }
            else if (type == TarEntryType.RegularFile)
            {
                entry.DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content));
            }

            writer.WriteEntry(entry);
        }

        return path;
    }

    /// <summary>Returns a ustar header of a regular file that declares <paramref name="size"/> bytes.</summary>
    private static byte[] UstarHeader(string name, long size)
    {
        var header = new byte[512];
        void Put(int offset, string value) => Encoding.ASCII.GetBytes(value).CopyTo(header, offset);
        Put(0, name);
        Put(100, "0000644");
        Put(108, "0000000");
        Put(116, "0000000");
        Put(124, Convert.ToString(size, 8).PadLeft(11, '0'));
        Put(136, "00000000000");
        Put(148, "        ");
        header[156] = (byte)'0';
        Put(257, "ustar");
        Put(263, "00");
        var checksum = header.Sum(value => (int)value);
        Put(148, Convert.ToString(checksum, 8).PadLeft(6, '0'));
        header[154] = 0;
        return header;
    }

    private static (string, string)[] Sample(string prefix) =>
    [
        ($"{prefix}0001.jpg", $"image {prefix}0001"),
        ($"{prefix}0001.txt", $"caption {prefix}0001"),
        ($"{prefix}0001.json", "{\"width\": 1}"),
        ($"{prefix}0002.jpg", $"image {prefix}0002"),
        ($"{prefix}0002.seg.png", "second image"),
        ($"{prefix}0003.wav", $"audio {prefix}0003"),
    ];

    [Theory]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.Pax)]
    public async Task GroupsMembersByKey(TarEntryFormat format)
    {
        using var folder = new TempFolder();
        var prefix = format == TarEntryFormat.Ustar ? "s/" : LongFolder + "/";
        var tar = WriteTar(folder, "shard.tar", format, Sample(prefix));
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Equal([prefix + "0001", prefix + "0002", prefix + "0003"], entries.Select(e => e.Id));
        Assert.Equal([Modality.Image, Modality.Text], entries[0].Media.Select(m => m.Modality));
        Assert.Equal($"image {prefix}0001", await ReadTextAsync(corpus, entries[0].Media[0]));
        Assert.Equal($"caption {prefix}0001", await ReadTextAsync(corpus, entries[0].Media[1]));
        Assert.Equal($"audio {prefix}0003", await ReadTextAsync(corpus, entries[2].Media.Single()));
        Assert.Equal($"shard.tar#{prefix}0001.jpg", entries[0].Media[0].Source);
        Assert.Equal(tar, entries[0].Media[0].Location);
        Assert.NotNull(entries[0].Media[0].Offset);
        Assert.Equal(Encoding.UTF8.GetByteCount($"image {prefix}0001"), entries[0].Media[0].Length);

        var issue = Assert.Single(Issues(shards));
        Assert.Equal(prefix + "0002", issue.Id);
        Assert.Equal($"shard.tar#{prefix}0002.seg.png", issue.Source);
    }

    [Theory]
    [InlineData(TarEntryFormat.Ustar)]
    [InlineData(TarEntryFormat.Gnu)]
    [InlineData(TarEntryFormat.Pax)]
    public async Task LinkMembersReadTargetData(TarEntryFormat format)
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "links.tar", format,
            (TarEntryType.RegularFile, "dir/s1.jpg", "image one"),
            (TarEntryType.RegularFile, "dir/s1.txt", "caption one"),
            (TarEntryType.HardLink, "dir/s2.jpg", "dir/s1.jpg"),
            (TarEntryType.RegularFile, "dir/s2.txt", "caption two"),
            (TarEntryType.SymbolicLink, "dir/s3.jpg", "s1.jpg"),
            (TarEntryType.SymbolicLink, "dir/s4.jpg", "../dir/s2.jpg"));
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        var entries = Entries(shards);
        Assert.Empty(Issues(shards));
        Assert.Equal(["dir/s1", "dir/s2", "dir/s3", "dir/s4"], entries.Select(e => e.Id));
        foreach (var entry in entries)
        {
            var image = entry.Media.Single(m => m.Modality == Modality.Image);
            Assert.Equal($"links.tar#{entry.Id}.jpg", image.Source);
            Assert.Equal("image one", await ReadTextAsync(corpus, image));
        }

        var caption = entries[1].Media.Single(m => m.Modality == Modality.Text);
        Assert.Equal("caption two", await ReadTextAsync(corpus, caption));
    }

    [Fact]
    public async Task UnreadableMembersBecomeIssues()
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "bad.tar", TarEntryFormat.Gnu,
            (TarEntryType.SymbolicLink, "a.jpg", "/etc/passwd"),
            (TarEntryType.SymbolicLink, "b.jpg", "../outside.jpg"),
            (TarEntryType.HardLink, "c.jpg", "missing.jpg"),
            (TarEntryType.RegularFile, "c.txt", "caption c"),
            (TarEntryType.SymbolicLink, "d.jpg", "e.jpg"),
            (TarEntryType.RegularFile, "e.jpg", "image e"),
            (TarEntryType.Fifo, "f.wav", string.Empty));
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        Assert.Equal(["c", "e"], Entries(shards).Select(e => e.Id));
        var issues = Issues(shards);
        Assert.Equal(["a", "b", "c", "d", "f"], issues.Select(i => i.Id));
        Assert.Equal(
            ["bad.tar#a.jpg", "bad.tar#b.jpg", "bad.tar#c.jpg", "bad.tar#d.jpg", "bad.tar#f.wav"],
            issues.Select(i => i.Source));
        Assert.Contains("outside the tar", issues[0].Message, StringComparison.Ordinal);
        Assert.Contains("outside the tar", issues[1].Message, StringComparison.Ordinal);
        Assert.Contains("hard link to 'missing.jpg'", issues[2].Message, StringComparison.Ordinal);
        Assert.Contains("--hard-dereference", issues[2].Message, StringComparison.Ordinal);
        Assert.Contains("symbolic link to 'e.jpg'", issues[3].Message, StringComparison.Ordinal);
        Assert.Contains("--dereference", issues[3].Message, StringComparison.Ordinal);
        Assert.Contains("named pipe", issues[4].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HugeMemberFailsReadAsTooLong()
    {
        using var folder = new TempFolder();
        const long size = 3_000_000_000;
        var tar = Path.Combine(folder.Path, "big.tar");
        using (var file = File.Create(tar))
        {
            file.Write(UstarHeader("big.wav", size));

            // On file systems with sparse files, such as ext4 and tmpfs, the unwritten range stays a
            // hole, so the file takes almost no disk space.
            file.SetLength(512 + ((size + 511) / 512 * 512) + 1024);
        }

        var corpus = CorpusFactory.Open(tar, new CorpusOptions());
        var shards = await PlanAllAsync(corpus, 100);
        var audio = Assert.Single(Entries(shards)).Media.Single();

        var error = await Assert.ThrowsAsync<MediaException>(() => corpus.ReadAsync(audio, Token));

        Assert.Empty(Issues(shards));
        Assert.Equal(size, audio.Length);
        Assert.Equal("read", error.Stage);
        Assert.Contains("big.tar#big.wav", error.Message, StringComparison.Ordinal);
        Assert.Contains("too long", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("jfif")]
    [InlineData("jpe")]
    [InlineData("ico")]
    [InlineData("heic")]
    [InlineData("HEIF")]
    [InlineData("avif")]
    public async Task ImageExtensionBecomesMember(string extension)
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "images.tar", TarEntryFormat.Gnu, ($"x.{extension}", "image"));
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var entry = Assert.Single(Entries(await PlanAllAsync(corpus, 100)));

        Assert.Equal("x", entry.Id);
        Assert.Equal(Modality.Image, entry.Media.Single().Modality);
    }

    [Fact]
    public async Task PatternReadsShardsInOrder()
    {
        using var folder = new TempFolder();
        WriteTar(folder, "shards-00000.tar", TarEntryFormat.Gnu, ("a.txt", "a"), ("b.txt", "b"));
        WriteTar(folder, "shards-00001.tar", TarEntryFormat.Gnu, ("c.txt", "c"), ("a.txt", "again"));
        var corpus = CorpusFactory.Open(Path.Combine(folder.Path, "shards-{00000..00001}.tar"), new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        Assert.Equal(["a", "b", "c"], Entries(shards).Select(e => e.Id));
        var duplicate = Assert.Single(Issues(shards));
        Assert.Equal("a", duplicate.Id);
        Assert.Equal("shards-00001.tar#a.txt", duplicate.Source);
        Assert.Contains("duplicate id 'a'", duplicate.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingShardThrowsAtOpen()
    {
        using var folder = new TempFolder();
        WriteTar(folder, "shards-0.tar", TarEntryFormat.Gnu, ("a.txt", "a"));

        var error = Assert.Throws<ArgumentException>(
            () => CorpusFactory.Open(Path.Combine(folder.Path, "shards-{0..1}.tar"), new CorpusOptions()));

        Assert.Contains("shards-1.tar", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2000)]
    [InlineData(1100)]
    public async Task TruncatedTarKeepsEntriesBeforeDamage(int keptBytes)
    {
        using var folder = new TempFolder();
        var content = new string('x', 600);
        var tar = WriteTar(folder, "cut.tar", TarEntryFormat.Ustar, ("a.txt", "a"), ("b.txt", content), ("c.txt", "c"));
        var bytes = File.ReadAllBytes(tar);
        File.WriteAllBytes(tar, bytes[..keptBytes]);
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        // Layout: a's header at 0 and data at 512; b's header at 1024 and 600 bytes of data at 1536.
        Assert.Equal(["a"], Entries(shards).Select(e => e.Id));
        var issue = Assert.Single(Issues(shards));
        Assert.Equal("cut.tar", issue.Id);
        Assert.Contains(tar, issue.Message, StringComparison.Ordinal);
        Assert.Equal("cut.tar@1024", issue.Source);
    }

    [Fact]
    public async Task MissingEndBlocksAreAccepted()
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "short.tar", TarEntryFormat.Ustar, ("a.txt", "a"), ("b.txt", "b"));
        File.WriteAllBytes(tar, File.ReadAllBytes(tar)[..2048]);
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        Assert.Equal(["a", "b"], Entries(shards).Select(e => e.Id));
        Assert.Empty(Issues(shards));
    }

    [Fact]
    public async Task CorruptHeaderStopsScan()
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "bad.tar", TarEntryFormat.Ustar, ("a.txt", "a"), ("b.txt", "b"));
        var bytes = File.ReadAllBytes(tar);
        bytes[1024 + 10] ^= 0x55;
        File.WriteAllBytes(tar, bytes);
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var shards = await PlanAllAsync(corpus, 100);

        Assert.Equal(["a"], Entries(shards).Select(e => e.Id));
        Assert.Contains("checksum", Assert.Single(Issues(shards)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BlobTarPlansWithRangeReads()
    {
        using var folder = new TempFolder();
        var big = new string('p', 3 * BlobFileSource.WindowSize);
        var members = Sample("k").Append(("k0004.jpg", big)).Append(("k0005.txt", "after big")).ToArray();
        WriteTar(folder, "shards-1.tar", TarEntryFormat.Pax, members);
        FolderBlobStore? store = null;
        var corpus = CorpusFactory.Open(
            "az://test/shards-{1..1}.tar", new CorpusOptions(), _ => store = new FolderBlobStore(folder.Path));

        var entries = Entries(await PlanAllAsync(corpus, 100));

        Assert.Equal(["k0001", "k0002", "k0003", "k0004", "k0005"], entries.Select(e => e.Id));
        Assert.NotNull(store);
        Assert.All(store.RangeReads, read => Assert.True(read.Length <= BlobFileSource.WindowSize));
        Assert.True(store.RangeReads.Sum(read => read.Length) < big.Length, "planning must seek over member data");
        store.RangeReads.Clear();

        Assert.Equal("after big", await ReadTextAsync(corpus, entries[4].Media.Single()));
        var read = Assert.Single(store.RangeReads);
        Assert.Equal(entries[4].Media.Single().Offset, read.Offset);
        Assert.Equal("az://test/shards-1.tar", entries[4].Media.Single().Location);
    }

    [Fact]
    public async Task ForgedTarReferenceIsRejected()
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "a.tar", TarEntryFormat.Gnu, ("a.txt", "a"));
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var error = await Assert.ThrowsAsync<MediaException>(
            () => corpus.ReadAsync(new MediaReference(Modality.Text, "/etc/passwd", Offset: 0, Length: 10), Token));

        Assert.Equal("read", error.Stage);
    }

    [Fact]
    public async Task FingerprintChangesWithTar()
    {
        using var folder = new TempFolder();
        var tar = WriteTar(folder, "a.tar", TarEntryFormat.Gnu, ("a.txt", "a"));
        var corpus = CorpusFactory.Open(tar, new CorpusOptions());

        var first = await corpus.ComputeFingerprintAsync(Token);
        WriteTar(folder, "a.tar", TarEntryFormat.Gnu, ("a.txt", "a"), ("b.txt", "b"));
        var second = await corpus.ComputeFingerprintAsync(Token);

        Assert.NotEqual(first, second);
    }

    [Theory]
    [InlineData("a/b/0001.seg.png", "a/b/0001", "seg.png")]
    [InlineData("x.jpg", "x", "jpg")]
    [InlineData("dir.v2/x.jpg", "dir.v2/x", "jpg")]
    public void SplitKeyUsesFirstDotOfBasename(string name, string key, string extension)
    {
        Assert.Equal((key, extension), TarCorpus.SplitKey(name));
    }

    [Theory]
    [InlineData("noextension")]
    [InlineData("dir/._hidden.jpg")]
    public void SplitKeyRejectsNamesWithoutKey(string name)
    {
        Assert.Null(TarCorpus.SplitKey(name).Key);
    }
}
