namespace FreeBind.Tests.Corpus;

/// <summary>A temporary folder that is deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("freebind-corpus-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes a file at a '/'-separated relative path, creating folders, and returns its
    /// full path.</summary>
    public string Write(string relative, string content) => Write(relative, System.Text.Encoding.UTF8.GetBytes(content));

    public string Write(string relative, byte[] content)
    {
        var full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, content);
        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
