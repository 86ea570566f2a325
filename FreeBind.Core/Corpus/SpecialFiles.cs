using System.Runtime.InteropServices;

namespace FreeBind.Corpus;

/// <summary>
/// Detects named pipes, sockets and device files, which .NET's file APIs list as plain files.
/// Opening a named pipe for reading blocks until a writer opens it, so such files must be
/// rejected before any open.
/// </summary>
internal static partial class SpecialFiles
{
    private const int CurrentDirectory = -100;
    private const uint StatxTypeMask = 0x1;
    private const int StatxSize = 256;
    private const int StatxModeOffset = 28;
    private const int FileTypeMask = 0xF000;

    /// <summary>
    /// Returns the kind of special file at <paramref name="path"/> ("named pipe", "socket",
    /// "character device" or "block device"), following symbolic links. Returns null for a
    /// regular file or a folder, and when the type cannot be read.
    /// </summary>
    /// <remarks>
    /// NOTE: this works on Linux only, through statx(2), whose struct has the same layout on every
    /// architecture. On other systems it returns null, so a named pipe there still blocks the read.
    /// </remarks>
    public static string? DescribeSpecial(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        Span<byte> buffer = stackalloc byte[StatxSize];
        int result;
        try
        {
            result = Statx(CurrentDirectory, path, 0, StatxTypeMask, ref MemoryMarshal.GetReference(buffer));
        }
        catch (EntryPointNotFoundException)
        {
            // C libraries older than glibc 2.28 have no statx, and then the type stays unknown.
            return null;
        }

        if (result != 0)
        {
            return null;
        }

        var mode = MemoryMarshal.Read<ushort>(buffer[StatxModeOffset..]);
        return (mode & FileTypeMask) switch
        {
            0x1000 => "named pipe",
            0x2000 => "character device",
            0x6000 => "block device",
            0xC000 => "socket",
            _ => null,
        };
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, ref byte buffer);
}
