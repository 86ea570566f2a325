using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FreeBind.Imaging;

/// <summary>
/// Calls into the system libtiff 4.5 or later (Debian package libtiff6), reading a TIFF file from
/// memory. Library messages never reach stderr: each open file gets its own error handler, which
/// keeps the first error message for the caller.
/// </summary>
/// <remarks>
/// libtiff's default handlers print to stderr and return, and libtiff reports every error through
/// a return value, so no handler needs to stop the process. TIFFGetField is a C variadic
/// function. Each overload below passes one or two pointer arguments, which the x86-64 and AArch64
/// Linux calling conventions pass the same way as fixed arguments.
/// </remarks>
internal static unsafe partial class LibTiff
{
    public const string Library = "libtiff.so.6";

    public const uint TagImageWidth = 256;
    public const uint TagImageLength = 257;
    public const uint TagBitsPerSample = 258;
    public const uint TagCompression = 259;
    public const uint TagPhotometric = 262;
    public const uint TagOrientation = 274;
    public const uint TagSamplesPerPixel = 277;
    public const uint TagRowsPerStrip = 278;
    public const uint TagPlanarConfig = 284;
    public const uint TagColorMap = 320;
    public const uint TagTileWidth = 322;
    public const uint TagTileLength = 323;
    public const uint TagInkSet = 332;
    public const uint TagExtraSamples = 338;
    public const uint TagSampleFormat = 339;

    /// <summary>libtiff's pseudo-tag that makes its JPEG codec return RGB instead of YCbCr.</summary>
    public const uint TagJpegColorMode = 65538;
    public const int JpegColorModeRgb = 1;

    private const int MessageCapacity = 512;

    private static readonly Lazy<bool> Loaded = new(Load);

    /// <summary>Gets or sets whether decoding may use the library; a test turns it off to check the missing-library error.</summary>
    public static bool Enabled { get; set; } = true;

    /// <summary>Gets whether libtiff.so.6 is present, has the functions used here, and is enabled.</summary>
    public static bool Available => Enabled && Loaded.Value;

    /// <summary>
    /// Opens the first directory (page) of the TIFF file at <paramref name="source"/>, which must
    /// stay valid and unmoved until <see cref="Close"/>. Returns null when libtiff rejects the file,
    /// with its first error message in <paramref name="source"/>.
    /// </summary>
    /// <param name="source">Bytes and read position; also receives libtiff's messages.</param>
    /// <param name="maxSingleAllocation">Largest single buffer, in bytes, that libtiff may allocate.</param>
    public static IntPtr Open(MemorySource* source, long maxSingleAllocation)
    {
        IntPtr options = OpenOptionsAlloc();
        if (options == IntPtr.Zero)
        {
            return IntPtr.Zero;
        }

        try
        {
            OpenOptionsSetMaxSingleMemAlloc(options, (nint)maxSingleAllocation);
            OpenOptionsSetErrorHandlerExtR(options, &OnError, source);
            OpenOptionsSetWarningHandlerExtR(options, &OnWarning, source);

            // Mode "r" lets libtiff use the map callback, so it reads strips and tiles in place.
            return ClientOpenExt(
                "memory"u8, "r"u8, source, &Read, &Write, &Seek, &CloseSource, &Size, &Map, &Unmap, options);
        }
        finally
        {
            OpenOptionsFree(options);
        }
    }

    [LibraryImport(Library, EntryPoint = "TIFFClose")]
    public static partial void Close(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFGetField")]
    public static partial int GetField(IntPtr tiff, uint tag, out uint value);

    [LibraryImport(Library, EntryPoint = "TIFFGetField")]
    public static partial int GetField(IntPtr tiff, uint tag, out ushort value);

    /// <summary>Reads the three 16-bit colour map arrays (red, green, blue), owned by libtiff.</summary>
    [LibraryImport(Library, EntryPoint = "TIFFGetField")]
    public static partial int GetField(IntPtr tiff, uint tag, out ushort* red, out ushort* green, out ushort* blue);

    [LibraryImport(Library, EntryPoint = "TIFFGetFieldDefaulted")]
    public static partial int GetFieldDefaulted(IntPtr tiff, uint tag, out ushort value);

    /// <summary>Reads a count and an array owned by libtiff, as for the ExtraSamples tag.</summary>
    [LibraryImport(Library, EntryPoint = "TIFFGetFieldDefaulted")]
    public static partial int GetFieldDefaulted(IntPtr tiff, uint tag, out ushort count, out ushort* values);

    [LibraryImport(Library, EntryPoint = "TIFFSetField")]
    public static partial int SetField(IntPtr tiff, uint tag, int value);

    [LibraryImport(Library, EntryPoint = "TIFFIsTiled")]
    public static partial int IsTiled(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFNumberOfStrips")]
    public static partial uint NumberOfStrips(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFNumberOfTiles")]
    public static partial uint NumberOfTiles(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFStripSize")]
    public static partial nint StripSize(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFTileSize")]
    public static partial nint TileSize(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFScanlineSize")]
    public static partial nint ScanlineSize(IntPtr tiff);

    [LibraryImport(Library, EntryPoint = "TIFFTileRowSize")]
    public static partial nint TileRowSize(IntPtr tiff);

    /// <summary>Decodes one strip into <paramref name="buffer"/>; returns the byte count, or -1 on error.</summary>
    [LibraryImport(Library, EntryPoint = "TIFFReadEncodedStrip")]
    public static partial nint ReadEncodedStrip(IntPtr tiff, uint strip, byte* buffer, nint size);

    /// <summary>Decodes one tile into <paramref name="buffer"/>; returns the byte count, or -1 on error.</summary>
    [LibraryImport(Library, EntryPoint = "TIFFReadEncodedTile")]
    public static partial nint ReadEncodedTile(IntPtr tiff, uint tile, byte* buffer, nint size);

    private static bool Load()
    {
        if (!NativeLibrary.TryLoad(Library, out IntPtr library))
        {
            return false;
        }

        // The per-file handlers and allocation limit need libtiff 4.5.
        if (!NativeLibrary.TryGetExport(library, "TIFFClientOpenExt", out _))
        {
            return false;
        }

        // Messages that libtiff reports outside the per-file handlers would otherwise go to stderr.
        SetErrorHandler(IntPtr.Zero);
        SetWarningHandler(IntPtr.Zero);
        return true;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnError(IntPtr tiff, void* userData, byte* module, byte* format, IntPtr arguments)
    {
        var source = (MemorySource*)userData;
        if (source->MessageLength == 0)
        {
            int length = FormatMessage(source->Message, MessageCapacity, format, arguments);
            source->MessageLength = Math.Clamp(length, 0, MessageCapacity - 1);
        }

        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnWarning(IntPtr tiff, void* userData, byte* module, byte* format, IntPtr arguments)
    {
        // Pillow ignores libtiff warnings (unknown tags, deprecated fields), and so does this decoder.
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint Read(void* handle, byte* buffer, nint size)
    {
        var source = (MemorySource*)handle;
        long available = Math.Max(0, source->Length - source->Position);
        long count = Math.Min(available, Math.Max(0, (long)size));
        Buffer.MemoryCopy(source->Data + source->Position, buffer, count, count);
        source->Position += count;
        return (nint)count;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static nint Write(void* handle, byte* buffer, nint size) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static ulong Seek(void* handle, ulong offset, int whence)
    {
        var source = (MemorySource*)handle;
        long start = whence switch
        {
            0 => 0,
            1 => source->Position,
            2 => source->Length,
            _ => -1,
        };

        // Offsets are unsigned 64-bit, so a backward relative seek arrives as a wrapped value.
        long position = start + (long)offset;
        if (start < 0 || position < 0)
        {
            return ulong.MaxValue;
        }

        source->Position = position;
        return (ulong)position;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int CloseSource(void* handle) => 0;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static ulong Size(void* handle) => (ulong)((MemorySource*)handle)->Length;

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Map(void* handle, byte** data, ulong* size)
    {
        var source = (MemorySource*)handle;
        *data = source->Data;
        *size = (ulong)source->Length;
        return 1;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Unmap(void* handle, byte* data, ulong size)
    {
    }

    [LibraryImport(Library, EntryPoint = "TIFFClientOpenExt")]
    private static partial IntPtr ClientOpenExt(
        ReadOnlySpan<byte> name,
        ReadOnlySpan<byte> mode,
        void* clientData,
        delegate* unmanaged[Cdecl]<void*, byte*, nint, nint> read,
        delegate* unmanaged[Cdecl]<void*, byte*, nint, nint> write,
        delegate* unmanaged[Cdecl]<void*, ulong, int, ulong> seek,
        delegate* unmanaged[Cdecl]<void*, int> close,
        delegate* unmanaged[Cdecl]<void*, ulong> size,
        delegate* unmanaged[Cdecl]<void*, byte**, ulong*, int> map,
        delegate* unmanaged[Cdecl]<void*, byte*, ulong, void> unmap,
        IntPtr options);

    [LibraryImport(Library, EntryPoint = "TIFFOpenOptionsAlloc")]
    private static partial IntPtr OpenOptionsAlloc();

    [LibraryImport(Library, EntryPoint = "TIFFOpenOptionsFree")]
    private static partial void OpenOptionsFree(IntPtr options);

    [LibraryImport(Library, EntryPoint = "TIFFOpenOptionsSetMaxSingleMemAlloc")]
    private static partial void OpenOptionsSetMaxSingleMemAlloc(IntPtr options, nint bytes);

    [LibraryImport(Library, EntryPoint = "TIFFOpenOptionsSetErrorHandlerExtR")]
    private static partial void OpenOptionsSetErrorHandlerExtR(
        IntPtr options, delegate* unmanaged[Cdecl]<IntPtr, void*, byte*, byte*, IntPtr, int> handler, void* userData);

    [LibraryImport(Library, EntryPoint = "TIFFOpenOptionsSetWarningHandlerExtR")]
    private static partial void OpenOptionsSetWarningHandlerExtR(
        IntPtr options, delegate* unmanaged[Cdecl]<IntPtr, void*, byte*, byte*, IntPtr, int> handler, void* userData);

    [LibraryImport(Library, EntryPoint = "TIFFSetErrorHandler")]
    private static partial IntPtr SetErrorHandler(IntPtr handler);

    [LibraryImport(Library, EntryPoint = "TIFFSetWarningHandler")]
    private static partial IntPtr SetWarningHandler(IntPtr handler);

    // On x86-64 and AArch64 Linux a va_list parameter arrives as a pointer, so it is passed on as one.
    [LibraryImport("libc.so.6", EntryPoint = "vsnprintf")]
    private static partial int FormatMessage(byte* buffer, nuint capacity, byte* format, IntPtr arguments);

    /// <summary>
    /// Bytes of one TIFF file, the read position libtiff's callbacks move, and the first error
    /// message libtiff reported while reading it.
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct MemorySource
    {
        public byte* Data;
        public long Length;
        public long Position;
        public int MessageLength;
        public fixed byte Message[MessageCapacity];

        /// <summary>Returns libtiff's first error message, or null when it reported none.</summary>
        public readonly string? ReadMessage()
        {
            fixed (byte* message = Message)
            {
                return MessageLength == 0 ? null : Marshal.PtrToStringUTF8((IntPtr)message, MessageLength);
            }
        }
    }
}
